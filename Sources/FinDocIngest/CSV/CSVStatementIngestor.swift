import FinDocCore

/// Reads a CSV bank or card statement export into transactions and diagnostics.
///
/// It never throws and never traps, whatever the bytes: binary or empty input gives an unreadable document with
/// one error; a bad row gives one error and the rest of the file is still read.
public struct CSVStatementIngestor: Sendable {
    /// What the user forced.
    public var options: CSVOptions
    /// Profiles to choose from by header match (shipped ones by default, plus the user's).
    public var profiles: [CSVProfile]

    /// Creates an ingestor.
    public init(options: CSVOptions = CSVOptions(), profiles: [CSVProfile] = CSVProfile.shipped) {
        self.options = options
        self.profiles = profiles
    }

    /// Reads one file's bytes; `path` is used in diagnostics and locations.
    public func read(_ bytes: [UInt8], path: String) -> StatementDocument {
        var transactions: [Transaction] = []
        var document = stream(bytes, path: path) { transaction in
            transactions.append(transaction)
            return true
        }
        document.transactions = transactions
        return document
    }

    /// Reads one file's bytes as `read` does, but hands each transaction to `emit` in file order as soon as it is
    /// converted (`emit` answers false to stop) and returns the document without its transactions: a large file's
    /// rows can then be stored while later ones are still being converted.
    public func stream(_ bytes: [UInt8], path: String, emit: (Transaction) -> Bool) -> StatementDocument {
        switch TextDecoding.decodeToUTF8(bytes) {
        case .binary(let offset):
            return Self.unreadable(
                path, code: "csv.binary",
                message: "\(path) is not text (binary data at byte \(offset)); expected a CSV export")
        case .text(let utf8, _):
            if utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }) {
                return Self.unreadable(
                    path, code: "csv.empty",
                    message: "\(path) is empty; expected a CSV export with a header row and transactions")
            }
            return utf8.withUnsafeBufferPointer { buffer in
                var reader = CSVReader(bytes: buffer, path: path, options: options, profiles: profiles)
                return reader.stream(emit)
            }
        }
    }

    private static func unreadable(_ path: String, code: String, message: String) -> StatementDocument {
        StatementDocument(
            format: .csv,
            diagnostics: [Diagnostic(.error, code: code, message: message, location: SourceLocation(file: path))],
            unreadable: true)
    }
}
