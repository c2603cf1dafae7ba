import FinDocCore

/// Turns one data row into a transaction, or into the one error that explains why not, using decisions made once
/// for the whole file (column mapping, date order, decimal separators, currency defaults).
///
/// It is immutable (a row's state lives in the caller's `notes` and `cache`), so it never copies the reader's state
/// per row; the byte buffer is only read, to locate cells for diagnostics.
struct CSVRowConverter {
    /// The column index of each mapped field, resolved once.
    struct Columns: Sendable {
        var date: Int
        var valueDate: Int?
        var currency: Int?
        var originalAmount: Int?
        var originalCurrency: Int?
        var payee: Int?
        var reference: Int?
        var bankId: Int?
        var account: Int?
        var category: Int?
        var status: Int?
        var description: [Int]
        var layout: CSVColumnMapping.Layout
    }

    /// What became of a row.
    enum Outcome {
        /// A transaction.
        case transaction(Transaction)
        /// Nothing to store and nothing wrong (a row of empty cells).
        case skipped
        /// Not stored; an error was recorded.
        case rejected
    }

    /// A one-entry cache for the currency column, whose value rarely changes from row to row.
    struct CurrencyCache {
        var text = ""
        var code: CurrencyCode?
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let path: String
    let headerNames: [String]
    let columns: Columns
    let dates: CSVDateColumn
    let valueDates: CSVDateColumn?
    let separators: [Int: UInt8]
    let fileCurrency: CurrencyCode?
    let noCurrency: CurrencyCode
    let account: String
    let negate: Bool
    let debitWords: Set<String>
    let creditWords: Set<String>
    let pendingWords: Set<String>

    static let debitWords = ["d", "dr", "db", "debit", "debito", "débito", "s", "soll", "out", "money out", "-"]
    static let creditWords = ["c", "cr", "credit", "credito", "crédito", "h", "haben", "in", "money in", "+"]
    static let pendingWords = [
        "pending", "pend", "authorised", "authorized", "authorisation", "authorization", "hold", "on hold",
        "vorgemerkt", "umsatz vorgemerkt", "pendiente",
    ]

    private func name(_ column: Int) -> String {
        column >= 0 && column < headerNames.count ? headerNames[column] : "column \(column + 1)"
    }

    // MARK: - A row

    func convert(_ row: CSVRow, notes: inout [CSVPendingDiagnostic], cache: inout CurrencyCache) -> Outcome {
        let info = row.info
        if let quote = row.brokenQuote {
            let (line, column) = position(of: quote, in: info)
            let message: String
            if info.unclosedQuote == nil {
                message = "quoted field opened here runs over \(info.endLine - info.line + 1) lines and pairs with a "
                    + "quote on a later line, leaving a misshapen record; expected a closing \" on the same line (the "
                    + "following lines were read as records of their own)"
            } else if info.unclosedAtLineEnd {
                message = "quoted field opened here is never closed; expected a closing \" before the end of the line"
            } else {
                message = "quoted field opened here is never closed; expected a closing \" before the end of the file"
            }
            notes.append(
                CSVPendingDiagnostic(
                    severity: .error, code: "csv.quote", message: message, line: line, column: column,
                    sourceLine: lineText(at: quote)))
            return .rejected
        }
        if let stray = info.strayText {
            let (line, column) = position(of: stray, in: info)
            notes.append(
                CSVPendingDiagnostic(
                    severity: .warning, code: "csv.quote",
                    message: "text after a closing quote was kept as part of the field; expected the delimiter right "
                        + "after the quote",
                    line: line, column: column, sourceLine: lineText(at: stray)))
        }
        if !row.extraText, row.raw.allSatisfy({ $0.value.isBlankCell }) {
            notes.append(
                CSVPendingDiagnostic(
                    severity: .note, code: "csv.empty-row", message: "row has no values; skipped", line: info.line,
                    sourceLine: lineText(at: info.start)))
            return .skipped
        }
        let expected = headerNames.count
        if row.fieldCount < expected || row.extraText {
            notes.append(
                CSVPendingDiagnostic(
                    severity: .error, code: "csv.fields",
                    message: "expected \(expected) fields as in the header, found \(row.fieldCount)", line: info.line,
                    sourceLine: lineText(at: info.start)))
            return .rejected
        }

        // Dates.
        let dateText = row.cell(columns.date) ?? ""
        let bookingDate: LocalDate
        switch dates.date(dateText) {
        case .success(let date): bookingDate = date
        case .failure(let failure):
            notes.append(fieldError(row, columns.date, "csv.date", dateMessage(failure, dateText, columns.date, dates)))
            return .rejected
        }
        var valueDate: LocalDate?
        if let valueIndex = columns.valueDate, let valueDates, let text = row.cell(valueIndex), !text.isBlankCell {
            switch valueDates.date(text) {
            case .success(let date): valueDate = date
            case .failure(let failure):
                var warning = fieldError(
                    row, valueIndex, "csv.date",
                    dateMessage(failure, text, valueIndex, valueDates) + "; value date left empty")
                warning.severity = .warning
                notes.append(warning)
            }
        }

        // Amount numbers, before the currency is known: a value may name its own currency ("EUR 12,34").
        var first: (column: Int, number: CSVAmountParser.Number, isDebit: Bool)?
        var second: (column: Int, number: CSVAmountParser.Number, isDebit: Bool)?
        switch columns.layout {
        case .single(let column), .direction(let column, _):
            switch parseNumber(row, column, &notes) {
            case .number(let n): first = (column, n, false)
            case .empty:
                notes.append(fieldError(row, column, "csv.amount", "column \"\(name(column))\" is empty; expected an amount"))
                return .rejected
            case .invalid: return .rejected
            }
        case .debitCredit(let debit, let credit):
            if let debit {
                switch parseNumber(row, debit, &notes) {
                case .number(let n): first = (debit, n, true)
                case .empty: break
                case .invalid: return .rejected
                }
            }
            if let credit {
                switch parseNumber(row, credit, &notes) {
                case .number(let n): second = (credit, n, false)
                case .empty: break
                case .invalid: return .rejected
                }
            }
            if first == nil, second == nil {
                let names = [debit, credit].compactMap { $0 }.map { "\"\(name($0))\"" }.joined(separator: " nor ")
                notes.append(
                    fieldError(
                        row, debit ?? credit ?? 0, "csv.amount",
                        "neither \(names) has an amount; expected one of them to hold the money out or in"))
                return .rejected
            }
        }

        // Currency: the row's column, else a code written with the amount, else the file's default, else XXX.
        let currency: CurrencyCode
        if let currencyIndex = columns.currency, let text = row.cell(currencyIndex), !text.isBlankCell {
            if text != cache.text || cache.code == nil {
                cache.text = text
                cache.code = CurrencyCode(text)
            }
            guard let code = cache.code else {
                notes.append(
                    fieldError(
                        row, currencyIndex, "csv.currency",
                        "expected a three-letter ISO 4217 currency code in column \"\(name(currencyIndex))\", found "
                            + "\"\(text)\""))
                return .rejected
            }
            currency = code
        } else if let embedded = first?.number.currency ?? second?.number.currency ?? fileCurrency {
            currency = embedded
        } else {
            notes.append(
                CSVPendingDiagnostic(
                    severity: .warning, code: "csv.currency",
                    message: "the file has no currency column and no default currency was given; amounts are stored "
                        + "in XXX (no currency). Pass --currency CODE or set \"defaultCurrency\" in a profile",
                    line: info.line, sourceLine: lineText(at: info.start), oncePerFile: true))
            currency = noCurrency
        }

        // Minor units with findoc's sign: negative is money out.
        var minor: Int64 = 0
        for index in 0..<2 {
            guard let (column, number, isDebit) = index == 0 ? first : second else { continue }
            guard let value = scale(number, currency, row, column, &notes) else { return .rejected }
            switch columns.layout {
            case .single:
                minor = negate ? -value : value
            case .direction(_, let directionIndex):
                let word = CSVHeaderKey.key(row.cell(directionIndex) ?? "")
                if debitWords.contains(word) {
                    minor = -abs(value)
                } else if creditWords.contains(word) {
                    minor = abs(value)
                } else {
                    notes.append(
                        fieldError(
                            row, directionIndex, "csv.direction",
                            "expected debit or credit in column \"\(name(directionIndex))\" (e.g. D, DR, Debit, S / C, "
                                + "CR, Credit, H), found \"\(row.cell(directionIndex) ?? "")\""))
                    return .rejected
                }
            case .debitCredit:
                let (sum, overflow) =
                    isDebit ? minor.subtractingReportingOverflow(abs(value)) : minor.addingReportingOverflow(value)
                guard !overflow else {
                    notes.append(fieldError(row, column, "csv.amount", "amount in column \"\(name(column))\" is too large"))
                    return .rejected
                }
                minor = sum
            }
        }
        let amount = Money(minorUnits: minor, currency: currency)

        // Original amount, when it is a column of its own; its sign follows the amount.
        var originalAmount: Money?
        if let originalIndex = columns.originalAmount, originalIndex != first?.column, originalIndex != second?.column,
            let text = row.cell(originalIndex), !text.isBlankCell
        {
            let separator = separators[originalIndex] ?? UInt8(ascii: ".")
            var originalCurrency = currency
            if let codeText = row.cell(columns.originalCurrency), !codeText.isBlankCell {
                if codeText == cache.text, let code = cache.code {
                    originalCurrency = code
                } else if let code = CurrencyCode(codeText) {
                    originalCurrency = code
                }
            }
            if case .number(let n) = CSVAmountParser.parse(text, decimalSeparator: separator),
                case .success(let value) = CSVAmountParser.minorUnits(
                    n, digits: (n.currency ?? originalCurrency).minorUnitDigits)
            {
                originalAmount = Money(
                    minorUnits: minor < 0 ? -abs(value) : abs(value), currency: n.currency ?? originalCurrency)
            } else {
                var warning = fieldError(
                    row, originalIndex, "csv.amount",
                    "expected a number in column \"\(name(originalIndex))\", found \"\(text)\"; original amount left empty")
                warning.severity = .warning
                notes.append(warning)
            }
        }

        // Text.
        var description = ""
        for index in columns.description {
            guard let text = row.cell(index)?.trimmedCell, !text.isEmpty else { continue }
            description = description.isEmpty ? text : description + " " + text
        }
        let payee = nonBlank(row.cell(columns.payee))
        if description.isEmpty, payee == nil {
            let named = columns.description.map { "\"\(name($0))\"" }.joined(separator: ", ")
            notes.append(
                fieldError(
                    row, columns.description.first ?? columns.payee ?? 0, "csv.description",
                    columns.description.isEmpty
                        ? "no description or payee column; expected one of them to say what the transaction was"
                        : "no description: \(named) \(columns.description.count == 1 ? "is" : "are") empty and there is "
                            + "no payee"))
            return .rejected
        }
        var status = BookingStatus.booked
        if let text = row.cell(columns.status), !text.isBlankCell, pendingWords.contains(CSVHeaderKey.key(text)) {
            status = .pending
        }
        return .transaction(
            Transaction(
                account: nonBlank(row.cell(columns.account)) ?? account, bookingDate: bookingDate,
                valueDate: valueDate, amount: amount, originalAmount: originalAmount, description: description,
                payee: payee, reference: nonBlank(row.cell(columns.reference)),
                bankId: nonBlank(row.cell(columns.bankId)), status: status,
                sourceCategory: nonBlank(row.cell(columns.category)),
                location: SourceLocation(file: path, line: info.line), position: row.position, rawFields: row.raw))
    }

    private func nonBlank(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmedCell
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Parses an amount cell; on a non-number, records the row's error and returns `.invalid`.
    private func parseNumber(_ row: CSVRow, _ column: Int, _ notes: inout [CSVPendingDiagnostic])
        -> CSVAmountParser.Outcome
    {
        let text = row.cell(column) ?? ""
        let separator = separators[column] ?? UInt8(ascii: ".")
        let outcome = CSVAmountParser.parse(text, decimalSeparator: separator)
        if outcome == .invalid {
            notes.append(
                fieldError(
                    row, column, "csv.amount",
                    "expected a number in column \"\(name(column))\", found \"\(text)\" (this column uses "
                        + "\"\(String(UnicodeScalar(separator)))\" as the decimal separator)"))
        }
        return outcome
    }

    private func scale(
        _ number: CSVAmountParser.Number, _ currency: CurrencyCode, _ row: CSVRow, _ column: Int,
        _ notes: inout [CSVPendingDiagnostic]
    ) -> Int64? {
        switch CSVAmountParser.minorUnits(number, digits: currency.minorUnitDigits) {
        case .success(let value): return value
        case .failure(.tooManyDecimals):
            notes.append(
                fieldError(
                    row, column, "csv.amount",
                    "amount \"\(row.cell(column) ?? "")\" in column \"\(name(column))\" has more decimals than "
                        + "\(currency.code) allows (\(currency.minorUnitDigits))"))
        case .failure(.overflow):
            notes.append(
                fieldError(
                    row, column, "csv.amount",
                    "amount \"\(row.cell(column) ?? "")\" in column \"\(name(column))\" is too large"))
        }
        return nil
    }

    private func dateMessage(_ failure: CSVDateColumn.Failure, _ text: String, _ column: Int, _ dates: CSVDateColumn)
        -> String
    {
        let columnName = name(column)
        switch failure {
        case .empty:
            return "column \"\(columnName)\" is empty; expected a date like \(dates.pattern)"
        case .unrecognised:
            return "expected a date like \(dates.pattern) in column \"\(columnName)\", found \"\(text)\""
        case .impossible:
            return "\"\(text)\" in column \"\(columnName)\" is not a real date (read as \(dates.pattern))"
        case .contradicts(let order):
            let words: (DateOrder) -> String = {
                switch $0 {
                case .dmy: "day/month/year"
                case .mdy: "month/day/year"
                case .ymd: "year/month/day"
                }
            }
            return "\"\(text)\" in column \"\(columnName)\" can only be \(words(order)), but most dates in this "
                + "column are \(words(dates.order)); pass --date-order to choose"
        }
    }

    // MARK: - Positions (only computed for diagnostics)

    /// An error located at a cell.
    private func fieldError(_ row: CSVRow, _ column: Int, _ code: String, _ message: String) -> CSVPendingDiagnostic {
        let (line, col) = fieldPosition(row, column)
        return CSVPendingDiagnostic(
            severity: .error, code: code, message: message, line: line, column: col,
            sourceLine: lineText(atLine: line, of: row.info))
    }

    /// Line and column of a cell, found by splitting the record again.
    private func fieldPosition(_ row: CSVRow, _ column: Int) -> (line: Int, column: Int?) {
        var tokenizer = CSVTokenizer(delimiter: delimiter, position: row.info.start, line: row.info.line)
        var fields: [CSVFieldRange] = []
        guard tokenizer.next(bytes, fields: &fields) != nil, column >= 0, column < fields.count else {
            return (row.info.line, nil)
        }
        return position(of: fields[column].start, in: row.info)
    }

    /// Physical line and 1-based character column of a byte offset inside a record.
    func position(of offset: Int, in info: CSVRecordInfo) -> (line: Int, column: Int?) {
        let p = bytes
        let target = min(max(offset, info.start), p.count)
        var line = info.line
        var i = min(info.start, p.count)
        while i < target {
            let b = p[i]
            if b == 0x0A || (b == 0x0D && !(i + 1 < p.count && p[i + 1] == 0x0A)) { line += 1 }
            i += 1
        }
        let lineStart = CSVTokenizer.startOfLine(p, containing: target)
        let column = String(decoding: UnsafeBufferPointer(rebasing: p[lineStart..<target]), as: UTF8.self).count + 1
        return (line, column)
    }

    /// The text of the physical line holding a byte offset.
    func lineText(at offset: Int) -> String {
        let start = CSVTokenizer.startOfLine(bytes, containing: offset)
        let end = CSVTokenizer.endOfLine(bytes, from: start)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The text of one physical line of a record, by line number.
    private func lineText(atLine line: Int, of info: CSVRecordInfo) -> String {
        let p = bytes
        var offset = min(info.start, p.count)
        var current = info.line
        while current < line, offset < p.count {
            let b = p[offset]
            offset += 1
            if b == 0x0A || (b == 0x0D && !(offset < p.count && p[offset] == 0x0A)) { current += 1 }
        }
        return lineText(at: offset)
    }
}
