import Foundation
/// Number formatting for the dashboard: locale-independent and short enough
/// for narrow columns.
public enum DashboardFormat {
    /// Binary units with one decimal above a KiB: `512 B`, `4.0 KiB`, `150.0 MiB`.
    public static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        let negative = value < 0
        var magnitude = Double(value.magnitude)
        var unit = 0
        while magnitude >= 1024, unit < units.count - 1 {
            magnitude /= 1024
            unit += 1
        }
        let sign = negative ? "-" : ""
        if unit == 0 { return "\(sign)\(value.magnitude) B" }
        return "\(sign)\(oneDecimal(magnitude)) \(units[unit])"
    }

    /// A whole percentage, at most 4 cells: `  0%`, ` 45%`, `100%`; `  -` for nan.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        let p = Int((max(0, min(1, fraction)) * 100).rounded(.down))
        // Show 100% only when complete, and 1% for any resident data.
        let shown = fraction > 0 && p == 0 ? 1 : (fraction < 1 && p == 100 ? 99 : p)
        return "\(shown)%"
    }

    /// Seconds with one decimal: `12.3s`; minutes above 100 s: `4m05s`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value < 100 { return "\(oneDecimal(value))s" }
        let total = Int(value)
        let s = total % 60
        return "\(total / 60)m\(s < 10 ? "0" : "")\(s)s"
    }

    /// A speed multiplier: `x1`, `x4`, `x0.5`.
    public static func speed(_ value: Double) -> String {
        guard value.isFinite else { return "x?" }
        if value == value.rounded() { return "x\(Int(value))" }
        return "x" + (value < 0.1 ? String(format: "%.3g", value) : oneDecimal(value, trimZero: true))
    }

    /// A device address in hex: `0x1a2000`.
    public static func hex(_ value: Int64) -> String {
        "0x" + String(value, radix: 16)
    }

    static func oneDecimal(_ v: Double, trimZero: Bool = false) -> String {
        let tenths = Int((v * 10).rounded())
        if trimZero, tenths % 10 == 0 { return "\(tenths / 10)" }
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// An ncdu-like bar: `fraction` of `width` cells filled with `█` (`#` in
    /// ASCII), the rest blank.
    public static func bar(_ fraction: Double, width: Int, glyphs: GlyphSet) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        var n = Int((f * Double(width)).rounded())
        if f > 0, n == 0 { n = 1 }
        let fill: Character = glyphs.isUnicode ? "█" : "#"
        return String(repeating: fill, count: n) + String(repeating: " ", count: width - n)
    }

    /// The model settings in force, longest first, for the header:
    /// `ra 128K  fa 64K  cache ∞  domains 1  mmap none`, then `ra 128K fa 64K cache ∞`.
    public static func knobs(_ k: ModelKnobs, unicode: Bool) -> [String] {
        func kib(_ v: Int) -> String { v > 0 && v % 1024 == 0 ? "\(v / 1024)M" : "\(v)K" }
        let cache = k.cacheMB.map { $0 % 1024 == 0 ? "\($0 / 1024)G" : "\($0)M" } ?? (unicode ? "∞" : "inf")
        let domains = k.separateDomains ? "per-image" : "1"
        return [
            "ra \(kib(k.readaheadKB))  fa \(kib(k.faultAroundKB))  cache \(cache)  domains \(domains)  mmap \(k.mmapTouch.rawValue)",
            "ra \(kib(k.readaheadKB)) fa \(kib(k.faultAroundKB)) cache \(cache) dom \(domains) mmap \(k.mmapTouch.rawValue)",
            "ra \(kib(k.readaheadKB)) fa \(kib(k.faultAroundKB)) cache \(cache)",
        ]
    }
}
