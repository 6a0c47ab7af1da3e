/// The editable text of a one-line input (the `/` search line).
public struct TextInputState: Hashable, Sendable {
    public enum Event: Hashable, Sendable {
        /// The text changed (search as you type).
        case changed
        /// Enter: the final text.
        case submitted(String)
        /// Esc.
        case cancelled
        /// The cursor moved.
        case moved
        case ignored
    }

    public private(set) var text: String
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    public mutating func handle(_ key: Key) -> Event {
        switch key {
        case .char(let c):
            text.insert(c, at: index(cursor))
            cursor += 1
            return .changed
        case .backspace:
            guard cursor > 0 else { return .ignored }
            text.remove(at: index(cursor - 1))
            cursor -= 1
            return .changed
        case .delete, .ctrl("d"):
            guard cursor < text.count else { return .ignored }
            text.remove(at: index(cursor))
            return .changed
        case .ctrl("u"):
            guard !text.isEmpty else { return .ignored }
            text = ""
            cursor = 0
            return .changed
        case .left, .ctrl("b"):
            guard cursor > 0 else { return .ignored }
            cursor -= 1
            return .moved
        case .right, .ctrl("f"):
            guard cursor < text.count else { return .ignored }
            cursor += 1
            return .moved
        case .home, .ctrl("a"):
            cursor = 0
            return .moved
        case .end, .ctrl("e"):
            cursor = text.count
            return .moved
        case .enter:
            return .submitted(text)
        case .escape:
            return .cancelled
        default:
            return .ignored
        }
    }

    private func index(_ offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: offset)
    }
}

/// Draws `prompt` then the text with a block cursor (the hardware cursor is
/// hidden); scrolls horizontally to keep the cursor in view.
public struct TextInput {
    public var prompt: String
    public var state: TextInputState
    public var showsCursor: Bool

    public init(prompt: String, state: TextInputState, showsCursor: Bool = true) {
        self.prompt = prompt
        self.state = state
        self.showsCursor = showsCursor
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme
        guard canvas.height > 0, canvas.width > 0 else { return }
        canvas.fill(Rect(row: 0, col: 0, height: 1, width: canvas.width))
        canvas.put(row: 0, col: 0, prompt, style: theme.prompt)
        let room = canvas.width - prompt.count
        guard room > 0 else { return }
        // Leave one cell for the cursor after the last character.
        let first = max(0, state.cursor - (room - 1))
        let visible = String(Array(state.text).dropFirst(first).prefix(room))
        canvas.put(row: 0, col: prompt.count, visible, style: theme.text)
        if showsCursor {
            let chars = Array(state.text)
            let under: Character = state.cursor < chars.count ? chars[state.cursor] : " "
            canvas.put(row: 0, col: prompt.count + state.cursor - first, String(under), style: theme.cursor)
        }
    }
}
