import FinDocCore

/// One read of one decoded file: dialect, header, mapping, column-wide decisions, then one transaction or one
/// error per record. Lives only inside `CSVStatementIngestor.read`, while the byte buffer is valid.
struct CSVReader {
    private let p: UnsafeBufferPointer<UInt8>
    private let path: String
    private let options: CSVOptions
    private let profiles: [CSVProfile]
    private var sink: CSVDiagnosticSink

    private var delimiter = UInt8(ascii: ",")
    private var headerNames: [String] = []
    private var headerKeys: [String] = []
    private var headerInfo = CSVRecordInfo(line: 1, endLine: 1, start: 0, end: 0)
    private var profile: CSVProfile?
    private var mapping = CSVColumnMapping(automaticFor: [])

    private var rows: [CSVRow] = []
    private var rejected = 0

    init(bytes: UnsafeBufferPointer<UInt8>, path: String, options: CSVOptions, profiles: [CSVProfile]) {
        p = bytes
        self.path = path
        self.options = options
        self.profiles = profiles
        sink = CSVDiagnosticSink(file: path)
    }

    private var profileName: String { profile?.name ?? "auto" }

    // MARK: - The read

    /// Reads the file, handing each transaction to `emit` in file order as soon as it is converted (`emit` answers
    /// false to stop), and returns the document without its transactions. Everything that needs the whole file
    /// (dialect, mapping, date order, decimal separators) is decided before the first row is converted.
    mutating func stream(_ emit: (Transaction) -> Bool) -> StatementDocument {
        let dialect = CSVDialect.detect(p)
        delimiter = dialect.delimiter
        guard let header = dialect.header else {
            sink.add(.error, "csv.mapping", "\(path) has no header row; expected a CSV export whose first rows name its columns")
            return StatementDocument(format: .csv, diagnostics: sink.finish(), unreadable: true)
        }
        headerInfo = header
        headerNames = dialect.headerCells.map(CSVHeaderKey.display)
        headerKeys = headerNames.map(CSVHeaderKey.key)
        if dialect.preambleRecords > 0 {
            sink.add(
                .note, "csv.preamble",
                "skipped \(dialect.preambleRecords) line\(dialect.preambleRecords == 1 ? "" : "s") before the header row",
                line: header.line, sourceLine: lineText(at: header.start))
        }
        guard chooseMapping() else {
            return StatementDocument(format: .csv, profile: profile?.name, diagnostics: sink.finish(), unreadable: true)
        }
        tokenizeRecords()
        if profile == nil { detectDirectionColumn() }
        buildTransactions(emit)
        if rows.isEmpty {
            sink.add(.warning, "csv.no-rows", "the file has a header row but no transactions", line: header.line)
        }
        return StatementDocument(
            format: .csv, profile: profileName, diagnostics: sink.finish(), rejectedRecords: rejected)
    }

    /// Picks the forced profile, else the most specific matching one, else automatic mapping; false (with a
    /// `csv.mapping` error) when no date or amount column can be found.
    private mutating func chooseMapping() -> Bool {
        let keys = Set(headerKeys)
        if let forced = options.profile {
            profile = forced
            mapping = CSVColumnMapping(profile: forced, headerKeys: headerKeys)
            guard mapping.isUsable else {
                reportMapping(
                    "profile \"\(forced.name)\" does not fit this file: "
                        + missingProfileColumns(forced).joined(separator: "; "))
                return false
            }
            return true
        }
        let candidates = profiles.enumerated().compactMap { index, candidate -> (Int, Int, CSVProfile)? in
            guard let match = candidate.matchHeaders, !match.isEmpty,
                match.allSatisfy({ keys.contains(CSVHeaderKey.key($0)) })
            else { return nil }
            return (match.count, -index, candidate)
        }
        for (_, _, candidate) in candidates.sorted(by: { ($0.0, $0.1) > ($1.0, $1.1) }) {
            let candidateMapping = CSVColumnMapping(profile: candidate, headerKeys: headerKeys)
            if candidateMapping.isUsable {
                profile = candidate
                mapping = candidateMapping
                return true
            }
        }
        mapping = CSVColumnMapping(automaticFor: headerKeys)
        guard mapping.isUsable else {
            let missing = mapping.columns[.date] == nil ? "a date column" : "an amount column (or debit and credit columns)"
            reportMapping("cannot find \(missing) among the headers")
            return false
        }
        return true
    }

    private func missingProfileColumns(_ profile: CSVProfile) -> [String] {
        var missing: [String] = []
        for role in [CSVColumnRole.date, .amount, .debit, .credit] {
            guard let names = profile.columns[role], !names.isEmpty else { continue }
            if mapping.columns[role] == nil {
                missing.append("no column \(names.map { "\"\($0)\"" }.joined(separator: " or ")) for \(role.rawValue)")
            }
        }
        return missing.isEmpty ? ["its date or amount columns are missing"] : missing
    }

    private mutating func reportMapping(_ what: String) {
        let found = headerNames.map { "\"\($0)\"" }.joined(separator: ", ")
        sink.add(
            .error, "csv.mapping",
            "\(what); found \(found). Expected a date column (e.g. Date, Transaction Date, Buchungstag) and an "
                + "amount column (Amount, Betrag) or debit and credit columns (Debit/Credit, Paid out/Paid in). "
                + "Write a column-mapping profile (see Schemas/profiles/README.md) and pass it with --profile FILE",
            line: headerInfo.line, sourceLine: lineText(at: headerInfo.start))
    }

    /// Header names of a column that may say debit or credit for an unsigned amount ("Transaction Type").
    static let directionCandidateNames: Set<String> = [
        "type", "transaction type", "trans type", "txn type", "entry type", "debit or credit", "credit or debit",
    ]
    /// The values that make such a column a direction column: every non-empty value must be one of these.
    static let directionValues: Set<String> = ["debit", "credit", "dr", "cr", "d", "c"]

    /// With automatic mapping and one amount column, a "Transaction Type" column whose every value is debit or
    /// credit decides the sign (exports such as `Amount 11.11, Transaction Type debit` print magnitudes only).
    /// Decided over the whole column, so a "Type" column holding DD / SO / DEB is never mistaken for one.
    private mutating func detectDirectionColumn() {
        guard case .single(let amount) = mapping.layout else { return }
        let used = Set(mapping.columns.values).union(mapping.descriptionColumns)
        for (index, key) in headerKeys.enumerated()
        where index != amount && !used.contains(index) && Self.directionCandidateNames.contains(key) {
            var seen = 0
            var allDirections = true
            for row in rows where row.fieldCount > index {
                let value = CSVHeaderKey.key(row.cell(index) ?? "")
                guard !value.isEmpty else { continue }
                guard Self.directionValues.contains(value) else {
                    allDirections = false
                    break
                }
                seen += 1
            }
            if allDirections && seen > 0 {
                mapping.columns[.direction] = index
                sink.add(
                    .note, "csv.direction-column",
                    "column \"\(headerNames[index])\" says debit or credit on every row; it gives the amounts their sign",
                    line: headerInfo.line, sourceLine: lineText(at: headerInfo.start))
                return
            }
        }
    }

    // MARK: - Records

    /// Splits every record after the header and names its cells; records whose quotes are broken are kept
    /// without cells so they can be reported in order.
    private mutating func tokenizeRecords() {
        var tokenizer = CSVTokenizer(delimiter: delimiter)
        var fields: [CSVFieldRange] = []
        fields.reserveCapacity(headerNames.count + 4)
        while let info = tokenizer.next(p, fields: &fields) {
            if info.start >= headerInfo.start { break }
        }
        let expected = headerNames.count
        var position = 0
        while let info = tokenizer.next(p, fields: &fields) {
            if CSVDialect.isBlankLine(info, fields) { continue }
            defer { position += 1 }
            if let quote = info.unclosedQuote {
                rows.append(
                    CSVRow(info: info, fieldCount: 0, extraText: false, raw: [], position: position, brokenQuote: quote))
                continue
            }
            let extraText = fields.count > expected && !blank(fields[expected...])
            if let quote = info.spanningQuote, info.strayText != nil || fields.count < expected || extraText {
                // A quote that opens a field spanning lines and leaves the record misshapen (wrong field count, or
                // text after its closing quote) is almost always a stray quote that paired with one on a later
                // line: re-read the lines it swallowed as records of their own.
                tokenizer.restart(afterFirstLineOf: info, in: p, noSpanUntil: info.end)
                var shortened = info
                shortened.end = CSVTokenizer.endOfLine(p, from: info.start)
                rows.append(
                    CSVRow(info: shortened, fieldCount: 0, extraText: false, raw: [], position: position, brokenQuote: quote))
                continue
            }
            var raw: [RawField] = []
            raw.reserveCapacity(min(fields.count, expected))
            for (index, field) in fields.enumerated() where index < expected {
                raw.append(RawField(name: headerNames[index], value: CSVTokenizer.value(of: field, in: p)))
            }
            rows.append(
                CSVRow(
                    info: info, fieldCount: fields.count, extraText: extraText, raw: raw, position: position,
                    brokenQuote: nil))
        }
    }

    /// True when the fields hold nothing but spaces, tabs and quotes (the trailing delimiters some exports add).
    private func blank(_ fields: ArraySlice<CSVFieldRange>) -> Bool {
        fields.allSatisfy { field in
            var i = max(0, field.start)
            while i < field.end, i < p.count {
                let b = p[i]
                if b != 0x20, b != 0x09, b != UInt8(ascii: "\"") { return false }
                i += 1
            }
            return true
        }
    }

    // MARK: - Column-wide decisions

    private func columnValues(_ column: Int?) -> [String] {
        guard let column else { return [] }
        return rows.compactMap { $0.cell(column) }
    }

    private mutating func dateColumn(_ column: Int, fallback: DateOrder?) -> CSVDateColumn {
        let decided = CSVDateColumn(
            values: columnValues(column), forced: options.dateOrder ?? profile?.dateOrder, fallback: fallback)
        if decided.ambiguous {
            sink.add(
                .warning, "csv.date-order",
                "dates in column \"\(name(column))\" read the same as day/month/year or month/day/year (no day is above "
                    + "12); read them as day/month/year. If they are month/day/year, pass --date-order mdy or set "
                    + "\"dateOrder\": \"mdy\" in a profile",
                line: headerInfo.line, sourceLine: lineText(at: headerInfo.start))
        }
        return decided
    }

    /// The decimal separator of each amount column: the profile's, else the majority of what values show, else
    /// what the file's other amount columns show, else `.`.
    private func decimalSeparators(_ columns: [Int]) -> [Int: UInt8] {
        let dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
        if let forced = profile?.decimalSeparator {
            let separator = forced == "," ? comma : dot
            return Dictionary(columns.map { ($0, separator) }, uniquingKeysWith: { a, _ in a })
        }
        var votes: [Int: (dot: Int, comma: Int)] = [:]
        var total = (dot: 0, comma: 0)
        for column in Set(columns) {
            var tally = (dot: 0, comma: 0)
            for value in columnValues(column) {
                switch CSVAmountParser.decimalEvidence(value) {
                case dot?: tally.dot += 1
                case comma?: tally.comma += 1
                default: break
                }
            }
            votes[column] = tally
            total.dot += tally.dot
            total.comma += tally.comma
        }
        var out: [Int: UInt8] = [:]
        for column in columns {
            let tally = votes[column] ?? (0, 0)
            let decisive = tally.dot + tally.comma > 0 ? tally : total
            out[column] = decisive.comma > decisive.dot ? comma : dot
        }
        return out
    }

    // MARK: - Transactions

    private func name(_ column: Int) -> String {
        column >= 0 && column < headerNames.count ? headerNames[column] : "column \(column + 1)"
    }

    private mutating func buildTransactions(_ emit: (Transaction) -> Bool) {
        guard let dateIndex = mapping.columns[.date], let layout = mapping.layout,
            let noCurrency = CurrencyCode("XXX")
        else { return }
        let dates = dateColumn(dateIndex, fallback: nil)
        let valueDates = mapping.columns[.valueDate].map { dateColumn($0, fallback: dates.order) }
        var amountColumns: [Int] = []
        switch layout {
        case .single(let a), .direction(let a, _): amountColumns.append(a)
        case .debitCredit(let d, let c): amountColumns += [d, c].compactMap { $0 }
        }
        if let original = mapping.columns[.originalAmount] { amountColumns.append(original) }
        let m = mapping.columns
        let converter = CSVRowConverter(
            bytes: p, delimiter: delimiter, path: path, headerNames: headerNames,
            columns: CSVRowConverter.Columns(
                date: dateIndex, valueDate: m[.valueDate], currency: m[.currency], originalAmount: m[.originalAmount],
                originalCurrency: m[.originalCurrency], payee: m[.payee], reference: m[.reference], bankId: m[.bankId],
                account: m[.account], category: m[.category], status: m[.status],
                description: mapping.descriptionColumns, layout: layout),
            dates: dates, valueDates: valueDates, separators: decimalSeparators(amountColumns),
            fileCurrency: options.defaultCurrency ?? profile?.defaultCurrency.flatMap { CurrencyCode($0) }
                ?? mapping.headerCurrency,
            noCurrency: noCurrency,
            account: options.account ?? profile?.account ?? "csv:" + profileName,
            negate: profile?.amountSign == .positiveIsDebit,
            debitWords: Set((profile?.debitValues ?? CSVRowConverter.debitWords).map { CSVHeaderKey.key($0) }),
            creditWords: Set((profile?.creditValues ?? CSVRowConverter.creditWords).map { CSVHeaderKey.key($0) }),
            pendingWords: Set((profile?.pendingValues ?? CSVRowConverter.pendingWords).map { CSVHeaderKey.key($0) }))

        // One thread: the pipeline already reads files in parallel, and converting on two threads measured within
        // 10% of one (the cost is mostly allocation).
        var notes: [CSVPendingDiagnostic] = []
        var cache = CSVRowConverter.CurrencyCache()
        rowLoop: for row in rows {
            switch converter.convert(row, notes: &notes, cache: &cache) {
            case .transaction(let transaction): if !emit(transaction) { break rowLoop }
            case .skipped: break
            case .rejected: rejected += 1
            }
        }
        var saidOnce = Set<String>()
        for note in notes {
            if note.oncePerFile, !saidOnce.insert(note.code).inserted { continue }
            sink.add(
                note.severity, note.code, note.message, line: note.line, column: note.column, sourceLine: note.sourceLine)
        }
    }

    /// The text of the physical line holding a byte offset.
    private func lineText(at offset: Int) -> String {
        let start = CSVTokenizer.startOfLine(p, containing: offset)
        let end = CSVTokenizer.endOfLine(p, from: start)
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
    }
}
