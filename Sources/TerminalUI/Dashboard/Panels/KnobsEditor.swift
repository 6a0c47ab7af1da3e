/// The `o` panel: the what-if model settings as a small form over the
/// dashboard. Up/Down (or Tab) move between fields; on a number, Enter or a
/// digit starts editing and Enter takes the value (Esc keeps the old one); on a
/// choice, Enter, Space or Left/Right cycle; Enter on Apply hands the settings
/// back; Esc (or `q`) closes without applying.
///
///     ┌ What-if model settings ─────────────────────────┐
///     │ Readahead      128 KiB  read_ahead_kb            │
///     │ Fault-around    64 KiB  fault_around_bytes       │
///     │ Cache size       ∞ MiB  empty: unbounded, LRU    │
///     │ Domains        one      share domain per image?  │
///     │ mmap touch     none     pages a mapping faults   │
///     │ [ Apply ]               Esc: cancel              │
///     └──────────────────────────────────────────────────┘
struct KnobsEditor {
    enum Field: Int, CaseIterable {
        case readahead, faultAround, cache, domains, mmapTouch, apply

        var label: String {
            switch self {
            case .readahead: return "Readahead"
            case .faultAround: return "Fault-around"
            case .cache: return "Cache size"
            case .domains: return "Domains"
            case .mmapTouch: return "mmap touch"
            case .apply: return "[ Apply ]"
            }
        }

        var hint: String {
            switch self {
            case .readahead: return "KiB, read_ahead_kb"
            case .faultAround: return "KiB, fault_around_bytes"
            case .cache: return "MiB, LRU; empty: unbounded"
            case .domains: return "one share domain, or one per image"
            case .mmapTouch: return "pages an mmap faults in"
            case .apply: return "Esc: cancel"
            }
        }

        var isNumber: Bool { self == .readahead || self == .faultAround || self == .cache }
    }

    enum Outcome: Equatable { case handled, ignored, cancelled, apply(ModelKnobs) }

    let original: ModelKnobs
    private(set) var draft: ModelKnobs
    private(set) var field: Field = .readahead
    /// The number being typed, while editing one.
    private(set) var editing: TextInputState?
    /// Why the last typed value was refused.
    private(set) var error: String?

    init(_ knobs: ModelKnobs) {
        original = knobs
        draft = knobs
    }

    mutating func handle(_ key: Key) -> Outcome {
        if editing != nil { return handleEditing(key) }
        error = nil
        switch key {
        case .escape, .char("q"):
            return .cancelled
        case .up, .char("k"), .backTab:
            field = Field(rawValue: (field.rawValue + Field.allCases.count - 1) % Field.allCases.count) ?? field
        case .down, .char("j"), .tab:
            field = Field(rawValue: (field.rawValue + 1) % Field.allCases.count) ?? field
        case .enter where field == .apply:
            return .apply(draft)
        case .enter where field.isNumber:
            editing = TextInputState(text(of: field))
        case .char(let c) where field.isNumber && c.isNumber:
            editing = TextInputState(String(c))
        case .enter, .char(" "), .right, .char("l"):
            return cycle(forward: true) ? .handled : .ignored
        case .left, .char("h"):
            return cycle(forward: false) ? .handled : .ignored
        default:
            return .ignored
        }
        return .handled
    }

    private mutating func handleEditing(_ key: Key) -> Outcome {
        guard var input = editing else { return .ignored }
        switch input.handle(key) {
        case .submitted(let text):
            if let problem = set(field, to: text) {
                error = problem
                editing = input
            } else {
                error = nil
                editing = nil
            }
        case .cancelled:
            editing = nil
            error = nil
        case .ignored:
            return .ignored
        case .changed, .moved:
            editing = input
        }
        return .handled
    }

    private mutating func cycle(forward: Bool) -> Bool {
        switch field {
        case .domains:
            draft.separateDomains.toggle()
        case .mmapTouch:
            let all = ModelKnobs.MmapTouch.allCases
            let i = all.firstIndex(of: draft.mmapTouch) ?? 0
            draft.mmapTouch = all[(i + (forward ? 1 : all.count - 1)) % all.count]
        default:
            return false
        }
        return true
    }

    /// The field's value as the form shows it (and editing starts from).
    func text(of field: Field, unicode: Bool = true) -> String {
        switch field {
        case .readahead: return String(draft.readaheadKB)
        case .faultAround: return String(draft.faultAroundKB)
        case .cache: return draft.cacheMB.map(String.init) ?? ""
        case .domains: return draft.separateDomains ? "per image" : "one"
        case .mmapTouch: return draft.mmapTouch.rawValue
        case .apply: return ""
        }
    }

    /// Stores a typed value; returns why it was refused.
    private mutating func set(_ field: Field, to text: String) -> String? {
        let t = text.filter { $0 != " " }
        if field == .cache && (t.isEmpty || t == "∞" || t.lowercased() == "inf") {
            draft.cacheMB = nil
            return nil
        }
        guard let value = Int(t), value >= 0, value <= 1 << 24 else {
            return "\(field.label): a whole number, 0 to \(1 << 24)"
        }
        switch field {
        case .readahead: draft.readaheadKB = value
        case .faultAround: draft.faultAroundKB = value
        case .cache:
            guard value > 0 else { return "Cache size: at least 1 MiB (empty: unbounded)" }
            draft.cacheMB = value
        default: break
        }
        return nil
    }

    func draw(in canvas: Canvas) {
        let theme = canvas.theme
        let labelWidth = 14, valueWidth = 11
        let hintWidth = Field.allCases.map(\.hint.count).max() ?? 0
        let width = 2 + labelWidth + 1 + valueWidth + 2 + hintWidth + 2
        let rect = canvas.bounds.centered(Size(rows: Field.allCases.count + 4, cols: width))
        let box = canvas.sub(rect)
        box.clear()
        let inner = Box(title: "What-if model settings", focused: true).draw(in: box)
        for f in Field.allCases {
            let row = f.rawValue + (f == .apply ? 1 : 0)
            let selected = f == field
            if f == .apply {
                inner.put(row: row, col: 1, f.label, style: selected ? theme.selection : theme.headerValue)
                inner.put(row: row, col: 1 + labelWidth + 1 + valueWidth + 2, f.hint, style: theme.meterText)
                continue
            }
            inner.put(row: row, col: 1, f.label, width: labelWidth, style: selected ? theme.selection : theme.headerLabel)
            let valueCanvas = inner.sub(Rect(row: row, col: 1 + labelWidth + 1, height: 1, width: valueWidth))
            if selected, let editing {
                TextInput(prompt: "", state: editing).draw(in: valueCanvas)
            } else {
                var value = text(of: f)
                if f == .cache && value.isEmpty { value = inner.glyphs.isUnicode ? "∞" : "inf" }
                if f.isNumber { value = String(repeating: " ", count: max(0, 6 - value.count)) + value }
                valueCanvas.put(row: 0, col: 0, value, width: valueWidth, style: selected ? theme.selection : theme.text)
            }
            inner.put(row: row, col: 1 + labelWidth + 1 + valueWidth + 2, f.hint, width: hintWidth, style: theme.meterText)
        }
        if let error {
            inner.put(row: Field.allCases.count + 1, col: 1, error, width: inner.width - 2, style: theme.message)
        } else if draft != original {
            inner.put(row: Field.allCases.count + 1, col: 1, "changed: Apply re-simulates to the current position",
                      width: inner.width - 2, style: theme.meterText)
        }
    }
}
