import CNcurses

/// Turns what `wget_wch` returns into a `Key`.
///
/// `wget_wch` reports either a function key (status `KEY_CODE_YES`, a `KEY_*`
/// code) or a character (status `OK`, a wide character). Mouse events need a
/// `getmouse` call, so `KEY_MOUSE` is left to the caller.
enum KeyDecoder {
    /// A `KEY_*` code (keypad mode). Unknown codes decode to nil.
    static func decode(functionKey code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_A3: return .pageUp
        case KEY_C3: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        case KEY_F0 + 1 ... KEY_F0 + 63: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// A character code (`wint_t`). Control characters map to keys.
    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(value) + 0x60)))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
