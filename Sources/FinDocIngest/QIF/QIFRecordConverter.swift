import FinDocCore

/// Turns the records of transaction sections into transactions, with one located diagnostic per problem.
struct QIFRecordConverter {
    /// The file's path, for locations.
    let path: String
    /// The currency every amount is in (QIF names none).
    let currency: CurrencyCode
    /// Dates and amounts under the file's conventions.
    let values: QIFValueReader
    /// The text of a 1-based line, for diagnostics.
    let sourceLine: (Int) -> String?

    /// What became of a record.
    enum Outcome {
        /// A transaction.
        case transaction(Transaction)
        /// Not stored because of an error (an error diagnostic was added).
        case rejected
        /// Deliberately not stored (a note says why): investment actions that move no cash here, empty records.
        case skipped
    }

    /// Diagnostics produced so far, in record order.
    private(set) var diagnostics: [Diagnostic] = []

    /// Creates a converter.
    init(path: String, currency: CurrencyCode, values: QIFValueReader, sourceLine: @escaping (Int) -> String?) {
        self.path = path
        self.currency = currency
        self.values = values
        self.sourceLine = sourceLine
    }

    /// Converts one record of a cash or investment section.
    mutating func convert(_ record: QIFRecord) -> Outcome {
        switch record.section {
        case .cash: return convertCash(record)
        case .investment: return convertInvestment(record)
        case .account, .list, .unknown: return .skipped
        }
    }

    // MARK: - Cash sections

    private mutating func convertCash(_ record: QIFRecord) -> Outcome {
        guard case .success(let date) = readDate(record) else { return .rejected }
        let amount: Int64
        let splits = record.fields.filter { $0.letter == "$" }
        if let field = record.first("T") ?? record.first("U") {
            guard let value = readAmount(field, record: record) else { return .rejected }
            amount = value
            checkSplits(splits, total: value, record: record)
        } else if !splits.isEmpty {
            // No total: the splits are the transaction, so their exact sum is its amount.
            var sum: Int64 = 0
            for split in splits {
                guard let value = readAmount(split, record: record) else { return .rejected }
                let (next, overflow) = sum.addingReportingOverflow(value)
                guard !overflow else {
                    return reject(record, field: split, code: "qif.amount", "the split amounts overflow when added")
                }
                sum = next
            }
            amount = sum
        } else {
            return missing(record, code: "qif.missing-amount", what: "an amount (T line)")
        }
        warnIfTruncated(record)
        let memo = record.text("M")
        let payee = record.text("P")
        return .transaction(
            Transaction(
                account: record.account, bookingDate: date, amount: Money(minorUnits: amount, currency: currency),
                description: memo ?? payee ?? "", payee: payee, reference: record.text("N"), bankId: nil,
                status: .booked, sourceCategory: record.text("L"),
                location: SourceLocation(file: path, line: record.startLine), position: record.position,
                rawFields: rawFields(record)))
    }

    /// Warns when the splits do not add up to the total (Quicken refuses such records; other tools write them).
    private mutating func checkSplits(_ splits: [QIFField], total: Int64, record: QIFRecord) {
        guard !splits.isEmpty else { return }
        var sum: Int64 = 0
        for split in splits {
            guard case .success(let value) = values.amount(String(split.value)) else {
                add(.warning, "qif.split-amount", "split amount \"\(split.value)\" is not a number; kept as text", split.line)
                return
            }
            let (next, overflow) = sum.addingReportingOverflow(value)
            guard !overflow else { return }
            sum = next
        }
        if sum != total {
            add(
                .warning, "qif.split-sum",
                "the splits add up to \(Money.format(minorUnits: sum, digits: values.digits)), not the total "
                    + Money.format(minorUnits: total, digits: values.digits) + "; the total is used",
                record.startLine)
        }
    }

    // MARK: - Investment sections

    private mutating func convertInvestment(_ record: QIFRecord) -> Outcome {
        let action = record.text("N") ?? ""
        let direction: Int
        switch QIFInvestmentAction.of(action) {
        case .cash(let d): direction = d
        case .linked:
            return skip(record, "investment action \(action) moves cash through another account, whose section records it")
        case .noCash:
            return skip(record, "investment action \(action) moves no cash")
        case .unknown:
            return skip(record, action.isEmpty ? "investment record without an action (N line)" : "unknown investment action \(action)")
        }
        guard let field = record.first("T") ?? record.first("U") else {
            if !record.terminated { return missing(record, code: "qif.missing-amount", what: "an amount (T line)") }
            return skip(record, "investment action \(action) has no cash amount (T line)")
        }
        guard case .success(let date) = readDate(record) else { return .rejected }
        guard let written = readAmount(field, record: record) else { return .rejected }
        // Quicken writes these amounts unsigned; the action says which way the cash went. `Cash` is signed as written.
        let magnitude = written < 0 ? (written == Int64.min ? Int64.max : -written) : written
        let amount = direction == 0 ? written : (direction < 0 ? -magnitude : magnitude)
        warnIfTruncated(record)
        let memo = record.text("M")
        let payee = record.text("P")
        let security = record.text("Y")
        let fallback = [action, security].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return .transaction(
            Transaction(
                account: record.account, bookingDate: date, amount: Money(minorUnits: amount, currency: currency),
                description: memo ?? payee ?? fallback, payee: payee, reference: nil, bankId: nil, status: .booked,
                sourceCategory: record.text("L"), location: SourceLocation(file: path, line: record.startLine),
                position: record.position, rawFields: rawFields(record)))
    }

    // MARK: - Shared steps

    private enum DateFailure: Error { case reported }

    private mutating func readDate(_ record: QIFRecord) -> Result<LocalDate, DateFailure> {
        guard let field = record.first("D"), !field.value.trimmingASCIIWhitespace().isEmpty else {
            _ = missing(record, code: "qif.missing-date", what: "a date (D line)")
            return .failure(.reported)
        }
        switch values.date(String(field.value)) {
        case .success(let date): return .success(date)
        case .failure(let failure):
            let why: String
            switch failure {
            case .empty, .unrecognised: why = "is not a date"
            case .impossible: why = "is not a real day"
            case .contradicts(let order): why = "reads only as \(order.rawValue), which other dates in the file rule out"
            }
            _ = reject(
                record, field: field, code: "qif.date",
                "date \"\(field.value)\" \(why); expected \(values.datePattern) (or Quicken's 12/31'19)")
            return .failure(.reported)
        }
    }

    private mutating func readAmount(_ field: QIFField, record: QIFRecord) -> Int64? {
        switch values.amount(String(field.value)) {
        case .success(let value): return value
        case .failure(let failure):
            let separator = values.decimalSeparator == UInt8(ascii: ",") ? "decimal comma" : "decimal point"
            let why: String
            switch failure {
            case .empty: why = "is blank"
            case .invalid: why = "is not a number (this file uses a \(separator))"
            case .scale: why = "has more decimals than \(currency.code) allows, or is too large"
            }
            _ = reject(record, field: field, code: "qif.amount", "amount \"\(field.value)\" in \(field.name) \(why)")
            return nil
        }
    }

    private mutating func missing(_ record: QIFRecord, code: String, what: String) -> Outcome {
        if !record.terminated {
            add(
                .error, "qif.truncated",
                "the record starting here ends without ^ and has no \(what); not stored", record.startLine)
            return .rejected
        }
        add(.error, code, "record has no \(what); not stored", record.startLine)
        return .rejected
    }

    private mutating func warnIfTruncated(_ record: QIFRecord) {
        guard !record.terminated else { return }
        add(
            .warning, "qif.truncated",
            "the record starting here ends without ^ (file cut short?); stored because it has a date and an amount",
            record.startLine)
    }

    private mutating func reject(_ record: QIFRecord, field: QIFField, code: String, _ message: String) -> Outcome {
        add(.error, code, message + "; record not stored", field.line)
        return .rejected
    }

    private mutating func skip(_ record: QIFRecord, _ reason: String) -> Outcome {
        add(.note, "qif.investment-skipped", reason + "; not stored", record.startLine)
        return .skipped
    }

    private mutating func add(_ severity: Diagnostic.Severity, _ code: String, _ message: String, _ line: Int) {
        diagnostics.append(
            Diagnostic(
                severity, code: code, message: message, location: SourceLocation(file: path, line: line),
                sourceLine: sourceLine(line)))
    }

    private func rawFields(_ record: QIFRecord) -> [RawField] {
        record.fields.map { RawField(name: $0.name, value: String($0.value)) }
    }
}
