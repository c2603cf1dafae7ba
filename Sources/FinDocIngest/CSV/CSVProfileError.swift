/// A column-mapping profile that cannot be used: the file it came from and what is wrong with it.
public struct CSVProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The profile's path (or `shipped:NAME` for built-in ones).
    public var file: String
    /// What is wrong, and what was expected.
    public var message: String

    /// Creates an error.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `profile FILE: message`, for the terminal.
    public var description: String { "profile \(file): \(message)" }
}
