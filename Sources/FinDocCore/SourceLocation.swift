/// Where in an input something was found: a file plus a line and column, or an XPath for XML inputs.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// 1-based line number, when known.
    public var line: Int?
    /// 1-based column (in characters), when known.
    public var column: Int?
    /// An XPath to the element, for XML inputs.
    public var xpath: String?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil, xpath: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.xpath = xpath
    }

    /// `file:line:column`, `file:line`, `file (xpath)` or `file`: the form editors and terminals link.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let xpath { text += " (\(xpath))" }
        return text
    }
}
