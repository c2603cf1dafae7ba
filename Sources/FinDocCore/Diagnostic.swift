/// A finding about an input, returned alongside results: an error (something was not stored), a warning (stored, but
/// look at it) or a note.
///
/// Ingestors never throw for bad content; they return diagnostics, and the command layer prints them.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// How serious it is.
    public var severity: Severity
    /// A short stable identifier, e.g. `csv.amount`, so findings can be counted and filtered.
    public var code: String
    /// What is wrong and what was expected, in a sentence.
    public var message: String
    /// Where it was found.
    public var location: SourceLocation
    /// The offending source line, when there is one, to render under the message.
    public var sourceLine: String?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, code: String, message: String, location: SourceLocation, sourceLine: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
    }

    /// Rendered for a terminal, in the style of compilers:
    ///
    ///     error[csv.amount]: expected a number in column "Amount", found "abc"
    ///       --> statement.csv:14:22
    ///        | 03/01/17;abc;shell kings
    public var description: String {
        var text = "\(severity.rawValue)[\(code)]: \(message)\n  --> \(location)"
        if let sourceLine {
            let shown = sourceLine.count > 160 ? String(sourceLine.prefix(157)) + "..." : sourceLine
            text += "\n   | \(shown)"
            if let column = location.column, column >= 1, column <= shown.count {
                text += "\n   | " + String(repeating: " ", count: column - 1) + "^"
            }
        }
        return text
    }
}
