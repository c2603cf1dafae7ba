import FinDocCore

/// Reads a Quicken Interchange Format (QIF) export into transactions and diagnostics.
///
/// QIF carries no currency and no bank ids; an `!Account` block's `$`/`/` statement balance and date, when present,
/// become the account's closing balance. Its dates and decimal marks follow the exporting machine's locale; the
/// day/month order and the decimal separator are therefore decided over the whole file. It never throws and never traps, whatever the bytes: a bad record gives one located error and the rest of
/// the file is still read.
public struct QIFStatementIngestor: Sendable {
    /// The account name used until an `!Account` block names one (default `qif`).
    public var account: String?
    /// The currency of every amount (QIF has none); `XXX` with a warning when not given.
    public var defaultCurrency: CurrencyCode?
    /// The order of numeric dates when no date in the file proves one (default month-first, Quicken's US default).
    public var dateOrder: DateOrder?

    /// Creates an ingestor.
    public init(account: String? = nil, defaultCurrency: CurrencyCode? = nil, dateOrder: DateOrder? = nil) {
        self.account = account
        self.defaultCurrency = defaultCurrency
        self.dateOrder = dateOrder
    }

    /// Reads one file's bytes; `path` is used in diagnostics and locations.
    public func read(_ bytes: [UInt8], path: String) -> StatementDocument {
        let text: String
        switch TextDecoding.decodeToUTF8(bytes) {
        case .binary(let offset):
            return Self.unreadable(
                path, code: "qif.binary",
                message: "\(path) is not text (binary data at byte \(offset)); expected a QIF export")
        case .text(let utf8, _):
            if utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }) {
                return Self.unreadable(
                    path, code: "qif.empty", message: "\(path) is empty; expected a QIF export starting with !Type:")
            }
            text = String(decoding: utf8, as: UTF8.self)
        }
        let fallbackAccount = account.map { String($0.trimmingASCIIWhitespace()) }.flatMap { $0.isEmpty ? nil : $0 }
        var structure = QIFStructureReader(path: path, defaultAccount: fallbackAccount ?? "qif")
        structure.read(text)
        let records = structure.records
        if !structure.sawHeader, !records.contains(where: \.terminated) {
            return Self.unreadable(
                path, code: "qif.not-qif",
                message: "\(path) has no !Type header and no records ending in ^; expected a QIF export")
        }
        // The XXX fallback is a valid code; the guard only keeps this path free of force-unwraps.
        guard let currency = defaultCurrency ?? CurrencyCode("XXX") else {
            return Self.unreadable(path, code: "qif.currency", message: "no currency")
        }

        let transactional = records.filter {
            switch $0.section {
            case .cash, .investment: return true
            case .account, .list, .unknown: return false
            }
        }
        var dateValues: [String] = []
        var amountValues: [String] = []
        for record in transactional {
            for field in record.fields {
                switch field.letter {
                case "D": if field.name == "D" { dateValues.append(String(field.value)) }
                case "T", "U": amountValues.append(String(field.value))
                case "$": if case .cash = record.section { amountValues.append(String(field.value)) }
                default: break
                }
            }
        }
        // An `!Account` block's statement balance and date follow the file's conventions like any other value.
        for block in structure.accounts {
            if let balance = block.balance { amountValues.append(String(balance.value)) }
            if let date = block.balanceDate { dateValues.append(String(date.value)) }
        }
        let values = QIFValueReader(
            dateValues: dateValues, amountValues: amountValues, dateOrder: dateOrder,
            digits: currency.minorUnitDigits)
        var converter = QIFRecordConverter(
            path: path, currency: currency, values: values, sourceLine: { [structure] in structure.sourceLine($0) })
        var transactions: [Transaction] = []
        var rejected = 0
        for record in transactional {
            switch converter.convert(record) {
            case .transaction(let transaction): transactions.append(transaction)
            case .rejected: rejected += 1
            case .skipped: break
            }
        }

        var diagnostics = structure.diagnostics + converter.diagnostics
        var statements: [StatementInfo] = []
        for block in structure.accounts {
            let (info, warnings) = block.statement(
                path: path, currency: currency, values: values, sourceLine: { [structure] in structure.sourceLine($0) })
            statements += info.map { [$0] } ?? []
            diagnostics += warnings
        }
        if let first = transactions.first {
            let line = first.location.line
            if values.ambiguousOrder {
                diagnostics.append(
                    Diagnostic(
                        .warning, code: "qif.date-order",
                        message: "no date in the file shows whether it is month/day or day/month; read as month/day "
                            + "(Quicken's US default); pass --date-order dmy if the file is day-first",
                        location: SourceLocation(file: path, line: line), sourceLine: line.flatMap(structure.sourceLine)))
            }
            if defaultCurrency == nil {
                diagnostics.append(
                    Diagnostic(
                        .warning, code: "qif.currency",
                        message: "QIF files name no currency; amounts are stored as XXX (unknown): pass --currency "
                            + "with the account's currency (e.g. --currency GBP)",
                        location: SourceLocation(file: path, line: line)))
            }
        } else if rejected == 0 {
            diagnostics.append(
                Diagnostic(.note, code: "qif.no-transactions", message: "\(path) holds no transactions",
                    location: SourceLocation(file: path)))
        }
        return StatementDocument(
            format: .qif, statements: statements, transactions: transactions,
            diagnostics: Self.inSourceOrder(diagnostics),
            rejectedRecords: rejected)
    }

    /// True when the bytes start (after a byte-order mark, white space and `#` comment lines) with a QIF header:
    /// `!Type:`, `!Account`, `!Option` or `!Clear`, in any case.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        // Cheap refusal before decoding 4 KiB: when the first byte after an optional UTF-8 BOM and ASCII white space
        // is an ASCII byte other than `!` and `#` (and not NUL, which a UTF-16 file without a BOM starts with), the
        // decoded text starts with that same character and no header can follow. Everything else is decoded.
        let first = ByteSearch.contentStart(bytes, verticalSpace: true)
        if first < bytes.count, bytes[first] > 0x00, bytes[first] < 0x80, bytes[first] != UInt8(ascii: "!"),
            bytes[first] != UInt8(ascii: "#")
        {
            return false
        }
        guard case .text(let utf8, _) = TextDecoding.decodeToUTF8(Array(bytes.prefix(4096))) else { return false }
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C {
                index += 1
            } else if byte == UInt8(ascii: "#") {
                // Comment lines before the first header occur in hand-made and test files.
                while index < utf8.endIndex, utf8[index] != 0x0A, utf8[index] != 0x0D { index += 1 }
            } else {
                break
            }
        }
        let head = String(decoding: utf8[index...].prefix(16), as: UTF8.self).lowercased()
        return ["!type:", "!account", "!option", "!clear"].contains { head.hasPrefix($0) }
    }

    /// Diagnostics ordered by line, keeping the order they were found in within a line; file-level ones first.
    private static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated()
            .sorted { a, b in
                let la = a.element.location.line ?? 0
                let lb = b.element.location.line ?? 0
                return la != lb ? la < lb : a.offset < b.offset
            }
            .map(\.element)
    }

    private static func unreadable(_ path: String, code: String, message: String) -> StatementDocument {
        StatementDocument(
            format: .qif,
            diagnostics: [Diagnostic(.error, code: code, message: message, location: SourceLocation(file: path))],
            unreadable: true)
    }
}
