/// Horizontal alignment of text in a field.
public enum Alignment: Hashable, Sendable { case left, right, center }

/// Fitting strings into fixed-width fields (one `Character` per cell).
public enum TextFit {
    /// `text` padded or truncated to exactly `width` cells. Truncated text ends
    /// with `ellipsis` when given and the field is at least 2 cells wide.
    public static func fit(_ text: String, width: Int, alignment: Alignment = .left,
                           ellipsis: Character? = nil) -> String {
        guard width > 0 else { return "" }
        let count = text.count
        if count > width {
            if let e = ellipsis, width >= 2 { return String(text.prefix(width - 1)) + String(e) }
            return String(text.prefix(width))
        }
        let pad = width - count
        switch alignment {
        case .left: return text + String(repeating: " ", count: pad)
        case .right: return String(repeating: " ", count: pad) + text
        case .center:
            let left = pad / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: pad - left)
        }
    }

    /// A percentage with one decimal, locale-independent: `42.5%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "--%" }
        let tenths = Int((fraction * 1000).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return "\(sign)\(a / 10).\(a % 10)%"
    }
}
