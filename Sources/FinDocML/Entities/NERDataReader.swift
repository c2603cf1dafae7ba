import FinDocCore
import Foundation

/// Reads token-classification data in the two layouts findoc trains and evaluates on, detected by content:
///
/// - **FiNER-ORD CSV**: a header naming `gold_label`, `gold_token`, `doc_idx`, `sent_idx` (any order), one token per
///   row, RFC 4180 quoting; labels are FiNER's integers (`NERTags.finerTags`; `"3.0"` reads as 3, as the
///   reference's `int(float(x))` does). A sentence is every row sharing one (doc_idx, sent_idx), in order of first
///   appearance.
/// - **CoNLL**: one token per line, fields split on white space, the token first and the tag last; a blank line
///   ends a sentence; `-DOCSTART-` lines are skipped (the reference's `load_conll`).
///
/// Types outside `NERTags.keptTypes` (MISC) become `O`. Bad input throws an `NERDataError` naming the file and line.
public enum NERDataReader {
    /// The layout of a file.
    public enum Format: String, Sendable, Equatable {
        /// FiNER-ORD's token-per-row CSV.
        case finerCSV = "finer"
        /// CoNLL token-per-line text.
        case conll
    }

    /// Reads the file at `url`; `format` nil detects it from the first bytes.
    public static func read(contentsOf url: URL, format: Format? = nil) throws -> [NERSentence] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NERDataError(location: SourceLocation(file: url.path), message: "cannot read the file: \(error.localizedDescription)")
        }
        return try read(text: decode(data), path: url.path, format: format)
    }

    /// Reads text already in memory; `path` names it in errors.
    public static func read(text: String, path: String, format: Format? = nil) throws -> [NERSentence] {
        switch format ?? detect(text) {
        case .finerCSV: return try readFinerCSV(text, path: path)
        case .conll: return try readCoNLL(text, path: path)
        }
    }

    /// FiNER-ORD when the first 200 characters name both `gold_label` and `gold_token` (the reference's test),
    /// otherwise CoNLL.
    public static func detect(_ text: String) -> Format {
        let head = String(text.prefix(200)).lowercased()
        return head.contains("gold_label") && head.contains("gold_token") ? .finerCSV : .conll
    }

    /// UTF-8 (a byte-order mark dropped); bytes that are not UTF-8 are read as Windows-1252/Latin-1 so that one odd
    /// byte never loses a file.
    static func decode(_ data: Data) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    // MARK: - CoNLL

    static func readCoNLL(_ text: String, path: String) throws -> [NERSentence] {
        var sentences: [NERSentence] = []
        var words: [String] = []
        var tags: [String] = []
        var firstLine = 0
        var lineNumber = 0
        func close() {
            if !words.isEmpty {
                sentences.append(NERSentence(words: words, tags: tags, line: firstLine))
                words = []
                tags = []
            }
        }
        // Lines and fields as Python's splitlines() and split() cut them (CRLF is one Character in Swift).
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let token = fields.first, let last = fields.last else {
                close()
                continue
            }
            if token == "-DOCSTART-" { continue }
            guard fields.count >= 2 else {
                throw NERDataError(
                    location: SourceLocation(file: path, line: lineNumber),
                    message: "expected a token and a tag separated by a tab or space, found \"\(line.prefix(60))\"")
            }
            let tag = String(last)
            guard validTag(tag) else {
                throw NERDataError(
                    location: SourceLocation(file: path, line: lineNumber),
                    message: "expected the last field to be a tag (O, B-TYPE or I-TYPE), found \"\(tag.prefix(40))\"")
            }
            if words.isEmpty { firstLine = lineNumber }
            words.append(String(token))
            tags.append(NERTags.restrictTypes([tag])[0])
        }
        close()
        return sentences
    }

    /// `O`, or `B-`/`I-` followed by a type.
    static func validTag(_ tag: String) -> Bool {
        tag == "O" || ((tag.hasPrefix("B-") || tag.hasPrefix("I-")) && tag.count > 2)
    }

    // MARK: - FiNER-ORD CSV

    static func readFinerCSV(_ text: String, path: String) throws -> [NERSentence] {
        var records = CSVRecords(text)
        guard let (header, _) = try records.next(path: path) else {
            throw NERDataError(location: SourceLocation(file: path, line: 1), message: "the file is empty; expected a header row")
        }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(where: { $0.trimmingASCIIWhitespace().lowercased() == name }) else {
                throw NERDataError(
                    location: SourceLocation(file: path, line: 1),
                    message: "the header has no \(name) column (expected gold_label, gold_token, doc_idx, sent_idx)")
            }
            return index
        }
        let labelColumn = try column("gold_label")
        let tokenColumn = try column("gold_token")
        let docColumn = try column("doc_idx")
        let sentenceColumn = try column("sent_idx")
        let needed = max(labelColumn, tokenColumn, docColumn, sentenceColumn) + 1
        var order: [SentenceKey] = []
        var byKey: [SentenceKey: NERSentence] = [:]
        while let (fields, line) = try records.next(path: path) {
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            let location = SourceLocation(file: path, line: line)
            guard fields.count >= needed else {
                throw NERDataError(location: location, message: "expected \(needed) fields, found \(fields.count)")
            }
            guard let doc = Int(fields[docColumn].trimmingASCIIWhitespace()),
                let sentence = Int(fields[sentenceColumn].trimmingASCIIWhitespace())
            else {
                throw NERDataError(
                    location: location,
                    message: "expected integer doc_idx and sent_idx, found \"\(fields[docColumn])\", \"\(fields[sentenceColumn])\"")
            }
            let labelText = fields[labelColumn].trimmingASCIIWhitespace()
            guard let value = Double(labelText), value.isFinite, value >= 0, value < Double(NERTags.finerTags.count) else {
                throw NERDataError(location: location, message: "expected gold_label 0...6 (O, B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG), found \"\(labelText)\"")
            }
            let key = SentenceKey(doc: doc, sentence: sentence)
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = NERSentence(words: [], tags: [], line: line)
            }
            byKey[key]?.words.append(fields[tokenColumn])
            byKey[key]?.tags.append(NERTags.finerTags[Int(value)])
        }
        return order.compactMap { byKey[$0] }
    }

    private struct SentenceKey: Hashable {
        let doc: Int
        let sentence: Int
    }
}

/// A problem in a token-classification data file, with where it is.
public struct NERDataError: Error, CustomStringConvertible, Equatable {
    /// File and line.
    public var location: SourceLocation
    /// What was expected and found.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(location): \(message)" }
}

/// RFC 4180 records of a CSV text (comma-separated, `"` quoting with `""` escapes, CRLF or LF), each with the
/// 1-based line it starts on.
struct CSVRecords {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// The next record, or nil at the end of the text.
    mutating func next(path: String) throws -> ([String], Int)? {
        guard index < scalars.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var fieldStarted = false
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                fieldStarted = false
            case "\r":
                continue
            case "\n":
                line += 1
                fields.append(String(field))
                return (fields, startLine)
            default:
                field.append(scalar)
                fieldStarted = true
            }
        }
        if quoted {
            throw NERDataError(
                location: SourceLocation(file: path, line: startLine), message: "a quoted field is not closed before the end of the file")
        }
        fields.append(String(field))
        return (fields, startLine)
    }
}
