import FinDocCore

/// Reads SWIFT MT940 customer statements and MT942 interim transaction reports: one or more messages per file, with
/// or without the `{1:}{2:}{4:` … `-}` envelope, into statements (balances, period, account) and transactions.
///
/// Never throws and never traps: every problem becomes a located `mt940.*` diagnostic, a broken `:61:` rejects only
/// its own transaction, and a file that is not MT940 at all comes back `unreadable`.
public struct MT940StatementIngestor: Sendable {
    /// The account identifier to use instead of each statement's `:25:` field.
    let account: String?

    /// Creates an ingestor; `account`, when given, overrides the `:25:` account identification (and lets
    /// statements without one be stored).
    public init(account: String? = nil) {
        self.account = account
    }

    /// Reads a whole MT940/MT942 file. `path` is only used to locate diagnostics.
    public func read(_ bytes: [UInt8], path: String) -> StatementDocument {
        var parser = MT940Parser(path: path, accountOverride: account)
        return parser.run(bytes)
    }

    /// Reads a file as `read` does, but hands each transaction to `each` in file order as soon as its statement
    /// ends, and returns the document without its transactions: a large file's first statements can then be
    /// stored while later ones are still being read.
    public func stream(_ bytes: [UInt8], path: String, _ each: @escaping (Transaction) -> Void) -> StatementDocument {
        var parser = MT940Parser(path: path, accountOverride: account)
        parser.sink = each
        return parser.run(bytes)
    }

    /// True when the bytes look like MT940/MT942: a `{1:` envelope or a known `:NN:` tag line (`:20:`, `:25:`,
    /// `:28C:`, `:60F:`, `:61:` …) among the first lines, also after the few header lines some banks print
    /// (`ABNANL2A` / `940` / `ABNANL2A`).
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        var data = bytes.prefix(4096)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        var lineStart = data.startIndex
        var lines = 0
        while lineStart < data.endIndex, lines < 12 {
            var lineEnd = lineStart
            while lineEnd < data.endIndex, data[lineEnd] != 0x0A { lineEnd += 1 }
            var lo = lineStart
            // Banks wrap files in SOH/ETX and pad with blanks; skip them before looking at the line.
            while lo < lineEnd, data[lo] <= 0x20 { lo += 1 }
            let line = data[lo..<lineEnd]
            if !line.isEmpty {
                lines += 1
                if line.starts(with: [UInt8(ascii: "{"), UInt8(ascii: "1"), UInt8(ascii: ":")]) { return true }
                if let (tag, _) = MT940Parser.tag(line), tag != nil { return true }
            }
            lineStart = lineEnd + 1
        }
        return false
    }
}

/// One field being read: its tag, where it starts, and its content lines (the first after the tag, then any
/// continuation lines).
struct MT940OpenField {
    var tag: MT940Tag
    var line: Int
    /// The whole first line, tag included, for diagnostics.
    var lineRange: Range<Int>
    var contentStart: Int
    var continuation: [Range<Int>] = []
}

/// A `:61:` read and waiting for its statement to end, when the currency and account are known.
struct MT940PendingEntry {
    var entry: MT940EntryLine
    var line: Int
    /// The `:61:` line in the decoded text; made a string only for a diagnostic.
    var lineRange: Range<Int>
    var raw61: String
    var supplementary: String?
    var informationLines: [ArraySlice<UInt8>] = []
    var raw86: [String] = []
}

/// The statement (message) being read.
struct MT940Message {
    var startLine: Int
    var reference: String?
    var sourceLine: String?
    var account: String?
    var number: String?
    var opening: MT940Balance?
    var closing: MT940Balance?
    var currencyHint: CurrencyCode?
    /// Every balance field that was read and kept (:60:, :62:, :64:, :65:), in source order.
    var balances: [StatementBalance] = []
    var interim = false
    var entries: [MT940PendingEntry] = []
    var rejected = 0
    /// The tag of the previous field, to attach `:86:` to the `:61:` before it.
    var previous: MT940Tag?
    /// True after a rejected `:61:`, so its `:86:` is dropped quietly rather than reported as orphaned.
    var previousRejected = false
    var sawClosing = false
}

/// The state of one `read`: scans lines, collects fields into messages, turns messages into statements.
struct MT940Parser {
    let path: String
    let accountOverride: String?
    var text: [UInt8] = []
    var document = StatementDocument(format: .mt940)
    /// Where transactions go as their statement ends; nil to keep them in `document`.
    var sink: ((Transaction) -> Void)?
    /// Transactions made so far (kept or handed to `sink`), for their `position`.
    var emitted = 0
    var field: MT940OpenField?
    var message: MT940Message?
    var sawTag = false
    var envelopeLine: Int?
    var lastSeparatorSeen = false

    init(path: String, accountOverride: String?) {
        self.path = path
        let trimmed = accountOverride.map { String($0.trimmingASCIIWhitespace()) }
        self.accountOverride = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// Recognises a `:NN:`/`:NNa:` tag line; returns the tag (nil when unknown) and the index after the tag.
    static func tag(_ line: ArraySlice<UInt8>) -> (MT940Tag?, Int)? {
        let s = line.startIndex
        guard line.count >= 4, line[s] == MT940Bytes.colon, MT940Bytes.isDigit(line[s + 1]),
            MT940Bytes.isDigit(line[s + 2])
        else { return nil }
        var end = s + 3
        if end < line.endIndex, MT940Bytes.isUpper(line[end]) { end += 1 }
        if end < line.endIndex, MT940Bytes.isDigit(line[end]) { end += 1 }  // ":940:" header lines
        guard end < line.endIndex, line[end] == MT940Bytes.colon else { return nil }
        return (MT940Tag.from(line[(s + 1)..<end]), end + 1)
    }

    mutating func run(_ bytes: [UInt8]) -> StatementDocument {
        switch TextDecoding.decodeToUTF8(bytes) {
        case .binary(let offset):
            return unreadable(code: "mt940.binary", "the file is binary data (byte \(offset)), not an MT940 statement")
        case .text(let utf8, _):
            text = utf8
        }
        var lineNumber = 0
        var lineStart = 0
        let count = text.count
        while lineStart < count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < count, text[lineEnd] != 0x0A { lineEnd += 1 }
            var lo = lineStart
            var hi = lineEnd
            // CR, and the SOH/ETX control bytes some banks wrap messages in, are not content.
            while hi > lo, text[hi - 1] < 0x20, text[hi - 1] != 0x09 { hi -= 1 }
            while lo < hi, text[lo] < 0x20, text[lo] != 0x09 { lo += 1 }
            handleLine(lo..<hi, full: lineStart..<hi, number: lineNumber)
            lineStart = lineEnd + 1
        }
        finishField()
        finishMessage(atEnd: true)
        if let envelopeLine {
            warn(
                "mt940.truncated", "the SWIFT envelope opened here ({4:) is never closed with -}; the file may be truncated",
                line: envelopeLine, sourceLine: nil)
        }
        if !sawTag {
            let blank = text.allSatisfy { $0 <= 0x20 }
            return blank
                ? unreadable(code: "mt940.empty", "the file is empty")
                : unreadable(code: "mt940.format", "no MT940 field (such as :20:, :25: or :61:) was found")
        }
        return document
    }

    private mutating func handleLine(_ range: Range<Int>, full: Range<Int>, number: Int) {
        guard !range.isEmpty else { return }
        let line = text[range]
        let first = line[range.lowerBound]
        if first == UInt8(ascii: "{") {
            // Envelope blocks {1:…}{2:…}{3:…}{4: start a message body; a {5:…} trailer line carries nothing for us.
            if let body = Self.find([UInt8(ascii: "{"), UInt8(ascii: "4"), MT940Bytes.colon], in: line) {
                finishField()
                finishMessage(atEnd: false)
                envelopeLine = number
                let rest = (body + 3)..<range.upperBound
                if !rest.isEmpty { handleLine(rest, full: full, number: number) }
            }
            return
        }
        if first == UInt8(ascii: "-") {
            let after = text[(range.lowerBound + 1)..<range.upperBound]
            if after.allSatisfy(MT940Bytes.isBlank) || after.first == UInt8(ascii: "}") {
                finishField()
                finishMessage(atEnd: false)
                if after.first == UInt8(ascii: "}") { envelopeLine = nil }
                return
            }
        }
        if let (tag, contentStart) = Self.tag(line) {
            if let tag {
                finishField()
                sawTag = true
                field = MT940OpenField(tag: tag, line: number, lineRange: full, contentStart: contentStart)
                return
            }
            // An unknown tag inside :86: is usually text that happens to start with ":NN:" after a wrap.
            if field?.tag == .information {
                field?.continuation.append(range)
                return
            }
            finishField()
            note("mt940.tag", "unknown field tag is skipped", line: number, sourceLine: MT940Bytes.string(text[full]))
            return
        }
        // A line that is not a tag continues the open field; before any field it is a bank header line.
        field?.continuation.append(range)
    }

    // MARK: fields

    /// A field's text as written: its first line's content and its continuation lines, joined by line feeds.
    ///
    /// Decoded once from the joined bytes: a `String` per line added to the field line by line cost 700
    /// instructions a line (callgrind, 10,000 MT940 transactions of about five lines each).
    private func joinedLines(_ first: ArraySlice<UInt8>, _ continuation: [Range<Int>]) -> String {
        guard !continuation.isEmpty else { return MT940Bytes.string(first) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(first.count + continuation.reduce(0) { $0 + $1.count + 1 })
        bytes.append(contentsOf: first)
        for range in continuation {
            bytes.append(0x0A)
            bytes.append(contentsOf: text[range])
        }
        return MT940Bytes.string(bytes[...])
    }

    private mutating func finishField() {
        guard let f = field else { return }
        field = nil
        let content = text[f.contentStart..<f.lineRange.upperBound]
        if f.tag == .reference {
            finishMessage(atEnd: false)
            message = MT940Message(
                startLine: f.line, reference: MT940Bytes.trimmedString(content),
                sourceLine: MT940Bytes.string(text[f.lineRange]))
            return
        }
        if message == nil {
            warn(
                "mt940.reference", "statement has no :20: transaction reference before this field", line: f.line,
                sourceLine: MT940Bytes.string(text[f.lineRange]))
            message = MT940Message(startLine: f.line, sourceLine: MT940Bytes.string(text[f.lineRange]))
        }
        guard var m = message else { return }
        // Take the message out while editing it: mutating a copy that self.message still shares would copy its
        // entries array on every field (quadratic in the statement's length).
        message = nil
        defer {
            m.previous = f.tag
            message = m
        }
        let sourceLine = { [text] in MT940Bytes.string(text[f.lineRange]) }  // built only for a diagnostic
        switch f.tag {
        case .reference, .relatedReference, .dateTime, .dateTimeOld:
            if f.tag == .dateTime || f.tag == .dateTimeOld { m.interim = true }
        case .account, .accountWithBIC:
            var value = MT940Bytes.trimmedString(content)
            for range in f.continuation {
                if let more = MT940Bytes.trimmedString(text[range]) { value = (value.map { $0 + " " } ?? "") + more }
            }
            if m.account != nil || !m.entries.isEmpty {
                warn(
                    "mt940.duplicate", "a second :25: account field in one statement is ignored", line: f.line,
                    sourceLine: sourceLine())
            } else if let value {
                m.account = value
                // Legacy "bank/account" identifiers often end with the currency ("70011110/4005287001EUR").
                let u = Array(value.utf8)
                if u.count > 3, MT940Bytes.isDigit(u[u.count - 4]), let code = CurrencyCode(value.suffix(3)) {
                    m.currencyHint = m.currencyHint ?? code
                }
            }
        case .statementNumber, .statementNumberOld:
            m.number = MT940Bytes.trimmedString(content)
        case .openingFinal, .openingInterim, .closingFinal, .closingInterim, .closingAvailable, .forwardAvailable:
            switch MT940Balance.parse(content, line: f.line) {
            case .failure(let error):
                self.error(
                    "mt940.balanceFormat", ":\(f.tag.rawValue): balance cannot be read: \(error.message)",
                    line: f.line, column: f.contentStart - f.lineRange.lowerBound + error.column + 1,
                    sourceLine: sourceLine())
            case .success(let balance):
                let kept = StatementBalance(
                    kind: Self.balanceKind(f.tag), code: f.tag.rawValue, amount: balance.money, date: balance.date,
                    location: SourceLocation(file: path, line: f.line))
                switch f.tag {
                case .openingFinal, .openingInterim:
                    if m.opening == nil {
                        m.opening = balance
                        m.balances.append(kept)
                    } else {
                        warn(
                            "mt940.duplicate", "a second opening balance in one statement is ignored", line: f.line,
                            sourceLine: sourceLine())
                    }
                case .closingFinal, .closingInterim:
                    m.sawClosing = true
                    if m.closing == nil {
                        m.closing = balance
                        m.balances.append(kept)
                    } else {
                        warn(
                            "mt940.duplicate", "a second closing balance in one statement is ignored", line: f.line,
                            sourceLine: sourceLine())
                    }
                default:
                    // :64:/:65: available balances go to the balances list only; they also supply a currency.
                    m.currencyHint = m.currencyHint ?? balance.money.currency
                    m.balances.append(kept)
                }
            }
        case .floorLimit, .debitTotal, .creditTotal:
            m.interim = true
            // :34F:EURD0, / :90D:12EUR1234,56: the currency follows an optional count.
            var i = content.startIndex
            while i < content.endIndex, MT940Bytes.isDigit(content[i]) || MT940Bytes.isBlank(content[i]) { i += 1 }
            if i + 3 <= content.endIndex, let code = CurrencyCode(MT940Bytes.string(content[i..<(i + 3)])) {
                m.currencyHint = m.currencyHint ?? code
            }
        case .entry:
            m.previousRejected = false
            var continuation = f.continuation[...]
            var parsed = MT940EntryLine.parse(content)
            if case .failure = parsed, let next = continuation.first {
                // Some Sparkassen wrap the statement line itself after the mark ("…1126CR" / "30,00N062NONREF"):
                // retry with the next line glued on before giving up.
                let glued = Array(content) + text[next]
                if case .success(let entry) = MT940EntryLine.parse(glued[...]) {
                    parsed = .success(entry)
                    continuation = continuation.dropFirst()
                }
            }
            switch parsed {
            case .failure(let failure):
                m.rejected += 1
                m.previousRejected = true
                self.error(
                    "mt940.entry", ":61: statement line cannot be read: \(failure.message); the transaction is skipped",
                    line: f.line, column: f.contentStart - f.lineRange.lowerBound + failure.column + 1,
                    sourceLine: sourceLine())
            case .success(let entry):
                if entry.adjustedDate {
                    warn(
                        "mt940.date", "a date in this :61: names a day the month does not have; the month's last day is used",
                        line: f.line, sourceLine: sourceLine())
                }
                let raw = joinedLines(content, f.continuation)
                var supplementary: [String] = []
                for range in continuation {
                    if let s = MT940Bytes.trimmedString(text[range]) { supplementary.append(s) }
                }
                m.entries.append(
                    MT940PendingEntry(
                        entry: entry, line: f.line, lineRange: f.lineRange, raw61: raw,
                        supplementary: supplementary.isEmpty ? nil : supplementary.joined(separator: " ")))
            }
        case .information:
            var lines: [ArraySlice<UInt8>] = [content]
            for range in f.continuation { lines.append(text[range]) }
            let raw = joinedLines(content, f.continuation)
            if (m.previous == .entry || m.previous == .information) && !m.previousRejected,
                let last = m.entries.indices.last
            {
                // Old Rabobank files repeat :86: for each line of one transaction's details.
                m.entries[last].informationLines.append(contentsOf: lines)
                m.raw86Append(last, raw)
            } else if m.previousRejected && (m.previous == .entry || m.previous == .information) {
                break  // details of a rejected :61:, already reported
            } else if m.sawClosing {
                note(
                    "mt940.information", "statement-level :86: information after the closing balance is not stored",
                    line: f.line, sourceLine: sourceLine())
            } else {
                warn(
                    "mt940.orphanInformation", ":86: information does not follow a :61: statement line and is ignored",
                    line: f.line, sourceLine: sourceLine())
            }
        }
    }

    // MARK: messages

    private mutating func finishMessage(atEnd: Bool) {
        guard let m = message else { return }
        message = nil
        let label = statementLabel(m)
        let account = accountOverride ?? m.account
        let currency = m.opening?.money.currency ?? m.closing?.money.currency ?? m.currencyHint
        if !m.sawClosing && !m.interim {
            warn(
                atEnd && !lastSeparatorSeen ? "mt940.truncated" : "mt940.closingBalance",
                "\(label) has no closing balance (:62F:)" + (atEnd ? "; the file may be truncated" : ""),
                line: m.startLine, sourceLine: m.sourceLine)
        }
        document.rejectedRecords += m.rejected
        guard let account else {
            document.rejectedRecords += m.entries.count
            error(
                "mt940.account",
                "\(label) has no :25: account identification; its \(m.entries.count) transaction(s) are not stored",
                line: m.startLine, column: nil, sourceLine: m.sourceLine)
            return
        }
        if currency == nil && !m.entries.isEmpty {
            document.rejectedRecords += m.entries.count
            error(
                "mt940.currency",
                "\(label) names no currency (no :60F: opening balance); its \(m.entries.count) transaction(s) are not stored",
                line: m.startLine, column: nil, sourceLine: m.sourceLine)
        }
        let statementIndex = document.statements.count
        var sum: Int64 = 0
        var sumOverflow = false
        var first: LocalDate?
        var last: LocalDate?
        if let currency {
            for pending in m.entries {
                guard let minor = Money.parseMinorUnits(pending.entry.amount, digits: currency.minorUnitDigits) else {
                    document.rejectedRecords += 1
                    error(
                        "mt940.amount",
                        "amount \(pending.entry.amount) does not fit \(currency.code) (\(currency.minorUnitDigits) decimals, 64 bits); the transaction is skipped",
                        line: pending.line, column: nil, sourceLine: MT940Bytes.string(text[pending.lineRange]))
                    continue
                }
                let amount = pending.entry.sign * minor
                let (next, overflow) = sum.addingReportingOverflow(amount)
                sum = next
                sumOverflow = sumOverflow || overflow
                let transaction = makeTransaction(
                    pending, account: account, amount: Money(minorUnits: amount, currency: currency),
                    statementIndex: statementIndex)
                first = min(first ?? transaction.bookingDate, transaction.bookingDate)
                last = max(last ?? transaction.bookingDate, transaction.bookingDate)
                if let sink {
                    sink(transaction)
                } else {
                    document.transactions.append(transaction)
                }
                emitted += 1
            }
        }
        let starts = [m.opening?.date, first].compactMap { $0 }
        let ends = [m.closing?.date, last].compactMap { $0 }
        document.statements.append(
            StatementInfo(
                account: account, currency: currency, periodStart: starts.min(), periodEnd: ends.max(),
                openingBalance: m.opening?.money, closingBalance: m.closing?.money, identifier: m.number,
                location: SourceLocation(file: path, line: m.startLine), balances: m.balances))
        checkBalance(m, label: label, sum: sum, overflow: sumOverflow, currency: currency)
    }

    /// The kind of balance a balance tag carries (`:60M:`/`:62M:` are the intermediate opening/closing balances of
    /// a statement split over several messages, so they open and close that message like the final ones).
    static func balanceKind(_ tag: MT940Tag) -> StatementBalance.Kind {
        switch tag {
        case .openingFinal, .openingInterim: .opening
        case .closingFinal, .closingInterim: .closing
        case .closingAvailable: .available
        case .forwardAvailable: .forwardAvailable
        default: .other
        }
    }

    private mutating func checkBalance(
        _ m: MT940Message, label: String, sum: Int64, overflow: Bool, currency: CurrencyCode?
    ) {
        guard let opening = m.opening, let closing = m.closing, m.rejected == 0 else { return }
        guard opening.money.currency == closing.money.currency, opening.money.currency == currency else {
            warn(
                "mt940.balance", "\(label): opening and closing balances are in different currencies",
                line: m.startLine, sourceLine: m.sourceLine)
            return
        }
        let (expected, o1) = opening.money.minorUnits.addingReportingOverflow(sum)
        let (difference, o2) = closing.money.minorUnits.subtractingReportingOverflow(expected)
        guard overflow || o1 || o2 || difference != 0 else { return }
        let digits = opening.money.currency.minorUnitDigits
        let shown = overflow || o1 || o2 ? "too large to compute" : Money.format(minorUnits: difference, digits: digits)
        warn(
            "mt940.balance",
            "\(label): opening balance \(opening.money) plus the transactions (\(Money.format(minorUnits: sum, digits: digits))) does not equal the closing balance \(closing.money); difference \(shown)",
            line: m.startLine, sourceLine: m.sourceLine)
    }

    private func statementLabel(_ m: MT940Message) -> String {
        var label = "statement"
        if let reference = m.reference { label += " :20:\(reference)" }
        if let number = m.number { label += " :28C:\(number)" }
        return label + " (line \(m.startLine))"
    }

    private func makeTransaction(
        _ pending: MT940PendingEntry, account: String, amount: Money, statementIndex: Int
    ) -> Transaction {
        let entry = pending.entry
        var raw: [RawField] = [RawField(name: ":61:", value: pending.raw61)]
        if !pending.raw86.isEmpty { raw.append(RawField(name: ":86:", value: pending.raw86.joined(separator: "\n"))) }
        raw.append(RawField(name: "mark", value: entry.mark))
        if let v = entry.fundsCode { raw.append(RawField(name: "fundsCode", value: v)) }
        if let v = entry.transactionType { raw.append(RawField(name: "transactionType", value: v)) }
        if let v = entry.customerReference { raw.append(RawField(name: "customerReference", value: v)) }
        if let v = entry.bankReference { raw.append(RawField(name: "bankReference", value: v)) }
        if let v = pending.supplementary { raw.append(RawField(name: "supplementaryDetails", value: v)) }
        var description = pending.supplementary ?? entry.customerReference ?? ""
        var payee: String?
        var reference: String?
        if !pending.informationLines.isEmpty {
            let info = MT940Information.parse(lines: pending.informationLines)
            raw.append(contentsOf: info.fields)
            if !info.description.isEmpty { description = info.description }
            payee = info.payee
            reference = info.reference
        }
        if reference == nil, let customer = entry.customerReference, MT940Information.isReference(customer) {
            reference = customer
        }
        let bankId = entry.bankReference.flatMap { MT940Information.isReference($0) ? $0 : nil }
        return Transaction(
            account: account, bookingDate: entry.entryDate ?? entry.valueDate, valueDate: entry.valueDate,
            amount: amount, description: description, payee: payee, reference: reference, bankId: bankId,
            location: SourceLocation(file: path, line: pending.line), position: emitted,
            rawFields: raw, statementIndex: statementIndex)
    }

    // MARK: diagnostics

    private mutating func unreadable(code: String, _ message: String) -> StatementDocument {
        var result = StatementDocument(format: .mt940, unreadable: true)
        result.diagnostics = [Diagnostic(.error, code: code, message: message, location: SourceLocation(file: path, line: 1))]
        return result
    }

    private mutating func error(_ code: String, _ message: String, line: Int, column: Int?, sourceLine: String?) {
        document.diagnostics.append(
            Diagnostic(
                .error, code: code, message: message, location: SourceLocation(file: path, line: line, column: column),
                sourceLine: sourceLine))
    }

    private mutating func warn(_ code: String, _ message: String, line: Int, sourceLine: String?) {
        document.diagnostics.append(
            Diagnostic(.warning, code: code, message: message, location: SourceLocation(file: path, line: line), sourceLine: sourceLine))
    }

    private mutating func note(_ code: String, _ message: String, line: Int, sourceLine: String?) {
        document.diagnostics.append(
            Diagnostic(.note, code: code, message: message, location: SourceLocation(file: path, line: line), sourceLine: sourceLine))
    }

    private static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= hay.count, let head = needle.first else { return nil }
        var i = hay.startIndex
        while i + needle.count <= hay.endIndex {
            if hay[i] == head, hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension MT940Message {
    /// Keeps the raw `:86:` text of the entry at `index`.
    mutating func raw86Append(_ index: Int, _ raw: String) {
        guard entries.indices.contains(index) else { return }
        entries[index].raw86.append(raw)
    }
}
