import FinDocCore

/// A problem libxml2 reported while reading XML: malformed markup, a truncated document, or input it refuses.
public struct XMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libxml2's message, trimmed (e.g. `Opening and ending tag mismatch: A line 3 and B`).
    public var message: String
    /// The 1-based line where the parser stopped, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// libxml2's numeric error code (`xmlParserErrors`), 0 when the error did not come from libxml2.
    public var code: Int

    /// Creates an error.
    public init(message: String, line: Int? = nil, column: Int? = nil, code: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
        self.code = code
    }

    /// `line N: message`, or the message alone.
    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }

    /// The error as a located diagnostic for `file`, with the code the caller chooses (e.g. `ofx.xml`).
    public func diagnostic(file: String, code: String, severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(
            severity, code: code, message: "malformed XML: \(message)",
            location: SourceLocation(file: file, line: line, column: column))
    }
}
