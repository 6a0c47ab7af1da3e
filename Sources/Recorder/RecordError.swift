/// Why a recording could not be made. Every case says what to do about it.
public struct RecordError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
