import FinDocCore
import FinDocXML

/// The state of one camt read: follows the element stream, collects the leaves of the message, of each statement
/// and of each `Bal` / `Ntry`, and turns each completed entry into transactions at once, so memory holds one entry
/// (plus the transactions made so far) whatever the file's size.
///
/// Names are matched by local name, so any namespace prefix (or none) works; the namespace itself is checked once,
/// on the first camt element.
struct CAMTParser {
    let path: String
    let accountOverride: String?
    var document = StatementDocument(format: .camt)
    /// When set, each transaction is handed here as soon as its entry ends instead of being kept in `document`:
    /// memory then stays flat however many entries the file holds. Answering false stops the read there (nobody
    /// wants more: the rest of the file is not parsed).
    var sink: ((Transaction) -> Bool)?
    /// Transactions made so far (kept or handed to `sink`), for their `position`.
    private var emitted = 0

    /// An open element.
    private struct Frame {
        var line: Int
        var hadChild = false
        /// `currentPath` before this element was appended; nil for a scope root.
        var pathBefore: Int?
        var currency: String?
    }

    private enum Scope { case outside, message, statement, balance, entry }

    private var frames: [Frame] = []
    private var scope = Scope.outside
    private var kind: CAMTMessageKind?
    private var sawMessage = false
    /// The message element as written (`BkToCstmrStmt`, or `BkToCstmrStmtV01` in version 01), for XPaths.
    private var messageName = ""
    private var stopped = false
    /// The scope-relative path of the open element, as an index into `paths`.
    private var currentPath = 0
    /// Every distinct scope-relative path met so far (`BookgDt/Dt`, `NtryDtls/TxDtls/Refs/EndToEndId`), once, with
    /// what the leaves at it are called and read as. Index 0 is the empty path of a scope root.
    ///
    /// Why: a camt file repeats a few dozen paths in every entry. Building each leaf's path as a new string, then
    /// matching it against the field names entry by entry, was a third of the parse in callgrind; now a path is a
    /// table look-up by (parent, name id) and a leaf shares its path's strings.
    private var paths = [CAMTPath(path: "")]
    /// Child path index by parent index (high 32 bits) and the reader's name id (low 32 bits).
    private var pathChildren = IntegerMap()
    /// Per name id seen: what the parser itself needs to know about the name.
    private var nameKinds: [NameKind] = []
    private var text = ""
    private var sawEntityReference = false

    // Message and statement state.
    private var messageCreated: LocalDate?
    private var containerCount = 0
    private var statement = CAMTStatementState()
    private var leaves: [CAMTLeaf] = []
    private var itemLine = 0
    private var entryXPath = ""
    private var detail = 0
    private var detailLines: [Int] = []
    private var balanceCount = 0

    init(path: String, accountOverride: String?) {
        self.path = path
        let trimmed = accountOverride.map { String($0.trimmingASCIIWhitespace()) }
        self.accountOverride = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// Reads the whole stream; never throws: malformed XML becomes a located error and what was complete before it
    /// is kept.
    mutating func run(_ reader: XMLEventReader) -> StatementDocument {
        do throws(XMLError) {
            while !stopped, try reader.next() {
                switch reader.kind {
                case .start: startElement(reader)
                case .end: endElement()
                case .text:
                    // Only an element without children becomes a leaf, so text after a child is never read.
                    if scope != .outside, frames.last?.hadChild == false { text += reader.text }
                case .entityReference:
                    if !sawEntityReference {
                        sawEntityReference = true
                        note(
                            "camt.entity",
                            "an entity reference (&\(reader.localName);) is not expanded: findoc never substitutes "
                                + "entities or loads external ones", line: reader.line, xpath: currentXPath)
                    }
                }
            }
        } catch {
            var diagnostic = error.diagnostic(file: path, code: "camt.xml")
            diagnostic.location.xpath = currentXPath
            if scope == .entry {
                document.rejectedRecords += 1
                diagnostic.message += "; the entry being read there is not stored"
            }
            document.diagnostics.append(diagnostic)
            if scope == .entry || scope == .balance || scope == .statement {
                finishStatement(complete: false)
            }
            if kind == nil { document.unreadable = true }
            return document
        }
        if stopped { return document }
        if kind == nil {
            document.unreadable = true
            fail(
                "camt.namespace",
                "no ISO 20022 camt message was found: expected a Document in a namespace such as "
                    + "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 (camt.052, .053 or .054, versions 01–13)",
                line: 1, xpath: nil)
        } else if let kind, !sawMessage {
            document.unreadable = true
            fail(
                "camt.message", "the document holds no \(kind.message.rootElement) message, which \(kind) requires",
                line: 1, xpath: "/Document")
        } else if let kind, containerCount == 0 {
            fail(
                "camt.empty",
                "the \(kind.message.rootElement) message holds no \(kind.message.containerElement); nothing to read",
                line: 1, xpath: "/Document/\(messageName)")
        }
        return document
    }

    /// An XPath-like location of the element being read, e.g. `/Document/BkToCstmrStmt/Stmt[2]/Ntry[5]`.
    private var currentXPath: String? {
        guard let kind else { return nil }
        let message = "/Document/" + (messageName.isEmpty ? kind.message.rootElement : messageName)
        switch scope {
        case .outside: return nil
        case .message: return message
        case .statement: return statement.xpath
        case .balance: return statement.xpath + "/Bal[\(balanceCount)]"
        case .entry: return detail > 0 ? entryXPath + "/NtryDtls/TxDtls[\(detail)]" : entryXPath
        }
    }

    // MARK: the element stream

    /// What the parser needs to know about one local name, decided once per name.
    private struct NameKind {
        var name: String
        /// `Amt` or `…Amt`: its `Ccy` attribute is read.
        var isAmount: Bool
    }

    private mutating func startElement(_ reader: XMLEventReader) {
        let nameID = reader.localNameID
        while nameKinds.count <= nameID {
            let name = reader.name(ofID: nameKinds.count)
            nameKinds.append(NameKind(name: name, isAmount: name.hasSuffix("Amt")))
        }
        let name = nameKinds[nameID].name
        let line = reader.line
        if !frames.isEmpty { frames[frames.count - 1].hadChild = true }
        text = ""
        var frame = Frame(line: line)
        let depth = frames.count
        if kind == nil {
            if let namespace = reader.namespaceURI, namespace.hasPrefix(CAMTMessageKind.namespacePrefix) {
                guard let found = CAMTMessageKind(namespace: namespace) else {
                    document.unreadable = true
                    fail(
                        "camt.namespace",
                        "unsupported camt namespace \(namespace) on <\(name)>: findoc reads camt.052, camt.053 and "
                            + "camt.054, versions 001.01 to 001.13", line: line, xpath: "/" + name)
                    stopped = true
                    return
                }
                kind = found
            }
        }
        switch scope {
        case .outside:
            // Version 01 names the message element with its version (`BkToCstmrAcctRptV01`).
            if let kind, name == kind.message.rootElement || name == kind.message.rootElement + "V01", !sawMessage {
                scope = .message
                sawMessage = true
                messageDepth = depth
                messageName = name
            }
        case .message:
            if let kind, depth == messageDepth + 1, name == kind.message.containerElement {
                startStatement(line: line, kind: kind)
            } else {
                frame.pathBefore = appendPath(nameID)
            }
        case .statement:
            if depth == statementDepth + 1, name == "Ntry" {
                scope = .entry
                statement.entryCount += 1
                itemLine = line
                entryXPath = statement.xpath + "/Ntry[\(statement.entryCount)]"
                leaves.removeAll(keepingCapacity: true)
                detailLines.removeAll(keepingCapacity: true)
                detail = 0
                itemDepth = depth
            } else if depth == statementDepth + 1, name == "Bal" {
                scope = .balance
                balanceCount += 1
                itemLine = line
                leaves.removeAll(keepingCapacity: true)
                itemDepth = depth
            } else {
                frame.pathBefore = appendPath(nameID)
            }
        case .balance, .entry:
            frame.pathBefore = appendPath(nameID)
            if scope == .entry, paths[currentPath].isDetail {
                detailLines.append(line)
                detail = detailLines.count
            }
        }
        if nameKinds[nameID].isAmount { frame.currency = reader.attribute("Ccy") }
        frames.append(frame)
    }

    private var messageDepth = -1
    private var statementDepth = -1
    private var itemDepth = -1

    /// Appends the element named `nameID` to the scope-relative path; returns the path before.
    private mutating func appendPath(_ nameID: Int) -> Int {
        let before = currentPath
        let key = UInt64(truncatingIfNeeded: before) << 32 | UInt64(truncatingIfNeeded: nameID)
        if let child = pathChildren[key] {
            currentPath = Int(child)
        } else {
            let parent = paths[before].path
            let name = nameKinds[nameID].name
            paths.append(CAMTPath(path: parent.isEmpty ? name : parent + "/" + name))
            currentPath = paths.count - 1
            pathChildren.set(key, Int32(truncatingIfNeeded: currentPath))
        }
        return before
    }

    private mutating func endElement() {
        guard let frame = frames.popLast() else { return }
        let depth = frames.count
        guard let before = frame.pathBefore else {
            // A scope root (or an element outside any message) ends.
            switch scope {
            case .entry where depth == itemDepth:
                finishEntry()
                scope = .statement
            case .balance where depth == itemDepth:
                finishBalance()
                scope = .statement
            case .statement where depth == statementDepth:
                finishStatement(complete: true)
                scope = .message
            case .message where depth == messageDepth:
                scope = .outside
            default: break
            }
            text = ""
            return
        }
        if !frame.hadChild {
            let value = Self.trimmed(text)
            let inDetail = scope == .entry && detail > 0
            let leaf = CAMTLeaf(
                at: inDetail ? paths[currentPath].inDetail : paths[currentPath].named, value: value,
                currency: frame.currency, line: frame.line, detail: inDetail ? detail : 0)
            switch scope {
            case .entry, .balance: leaves.append(leaf)
            case .statement: statement.take(leaf)
            case .message:
                if leaf.path == "GrpHdr/CreDtTm" { messageCreated = CAMTDate.parse(value) }
            case .outside: break
            }
        }
        if scope == .entry, paths[currentPath].isDetail { detail = 0 }
        currentPath = before
        text = ""
    }

    /// The text without surrounding white space; returned as is (no copy) in the common case of none.
    private static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        // Space, tab, CR, LF, or the bytes that start and end U+00A0: only then take the slower path.
        let edge: (UInt8) -> Bool = { $0 <= 0x20 || $0 == 0xC2 || $0 == 0xA0 }
        guard edge(first) || edge(last) else { return text }
        return String(text.trimmingASCIIWhitespace())
    }

    // MARK: statements

    private mutating func startStatement(line: Int, kind: CAMTMessageKind) {
        containerCount += 1
        scope = .statement
        statementDepth = frames.count
        balanceCount = 0
        statement = CAMTStatementState()
        statement.line = line
        statement.xpath = "/Document/\(messageName)/\(kind.message.containerElement)[\(containerCount)]"
        statement.label = "\(kind.message.containerElement) \(containerCount)"
        statement.index = document.statements.count
    }

    private mutating func finishStatement(complete: Bool) {
        let s = statement
        scope = .message
        let account = accountOverride ?? s.account
        guard let account else {
            if s.unassigned > 0 {
                fail(
                    "camt.account",
                    "\(s.name) has no account identification (Acct/Id/IBAN or Acct/Id/Othr/Id); its "
                        + "\(s.unassigned) entr\(s.unassigned == 1 ? "y is" : "ies are") not stored",
                    line: s.line, xpath: s.xpath)
            } else {
                warn(
                    "camt.account", "\(s.name) has no account identification (Acct/Id/IBAN or Acct/Id/Othr/Id)",
                    line: s.line, xpath: s.xpath)
            }
            return
        }
        let opening = s.balances.first { $0.code == "OPBD" } ?? s.balances.first { $0.code == "PRCD" }
        let closing = s.balances.first { $0.code == "CLBD" }
        for balance in s.balances where balance.code != opening?.code && balance.code != closing?.code {
            note(
                "camt.balanceKept",
                "\(s.name): balance \(balance.code) \(balance.money)\(balance.date.map { " on \($0)" } ?? "") is not an "
                    + "opening (OPBD/PRCD) or closing (CLBD) booked balance; stored with the statement's other "
                    + "balances as \(StatementBalance.kind(camtCode: balance.code).rawValue)", line: balance.line,
                xpath: s.xpath)
        }
        let starts = [s.fromDate, opening?.date, s.firstBooking].compactMap { $0 }
        let ends = [s.toDate, closing?.date, s.lastBooking].compactMap { $0 }
        let identifier = s.identifier ?? s.sequence
        document.statements.append(
            StatementInfo(
                account: account, currency: s.currency ?? opening?.money.currency ?? closing?.money.currency,
                periodStart: s.fromDate ?? starts.min(), periodEnd: s.toDate ?? ends.max(),
                openingBalance: opening?.money, closingBalance: closing?.money, identifier: identifier,
                location: SourceLocation(file: path, line: s.line, xpath: s.xpath),
                balances: s.balances.map { balance in
                    StatementBalance(
                        kind: StatementBalance.kind(camtCode: balance.code), code: balance.code, amount: balance.money,
                        date: balance.date, location: SourceLocation(file: path, line: balance.line, xpath: balance.xpath))
                }))
        guard complete, s.rejected == 0, let opening, let closing else { return }
        guard opening.money.currency == closing.money.currency, !s.otherCurrency else {
            warn(
                "camt.balance",
                "\(s.name): the opening balance \(opening.money), closing balance \(closing.money) and entries are "
                    + "not all in one currency; the balances cannot be checked", line: s.line, xpath: s.xpath)
            return
        }
        let (expected, o1) = opening.money.minorUnits.addingReportingOverflow(s.bookedSum)
        let (difference, o2) = closing.money.minorUnits.subtractingReportingOverflow(expected)
        guard s.sumOverflow || o1 || o2 || difference != 0 else { return }
        let digits = opening.money.currency.minorUnitDigits
        let shown = s.sumOverflow || o1 || o2 ? "too large to compute" : Money.format(minorUnits: difference, digits: digits)
        warn(
            "camt.balance",
            "\(s.name): opening balance \(opening.money) plus the booked entries "
                + "(\(Money.format(minorUnits: s.bookedSum, digits: digits))) does not equal the closing balance "
                + "\(closing.money); difference \(shown)", line: s.line, xpath: s.xpath)
    }

    private mutating func finishBalance() {
        switch CAMTBalance.read(leaves, line: itemLine, accountCurrency: statement.currency) {
        case .success(var balance):
            balance.xpath = statement.xpath + "/Bal[\(balanceCount)]"
            statement.balances.append(balance)
        case .failure(let problem):
            fail(
                "camt.balanceFormat", "\(statement.name): \(problem.message); the balance is ignored",
                line: problem.line, xpath: statement.xpath + "/Bal[\(balanceCount)]")
            statement.rejected += 1
        }
    }

    // MARK: entries

    private mutating func finishEntry() {
        let entry = CAMTEntry(leaves: leaves, detailLines: detailLines)
        let xpath = entryXPath
        let line = itemLine
        guard let account = accountOverride ?? statement.account else {
            statement.unassigned += 1
            document.rejectedRecords += 1
            return
        }
        guard let amountLeaf = entry.amount else {
            reject("camt.amount", "entry has no Amt; expected <Amt Ccy=\"…\">; the entry is not stored", line: line, xpath: xpath)
            return
        }
        guard let currency = amountLeaf.currency.flatMap(CurrencyCode.init) ?? statement.currency else {
            reject(
                "camt.currency", "entry amount has no Ccy attribute and the account names no currency (Acct/Ccy)",
                line: amountLeaf.line, xpath: xpath + "/Amt")
            return
        }
        guard let minor = Money.parseMinorUnits(amountLeaf.value, digits: currency.minorUnitDigits), minor >= 0 else {
            reject(
                "camt.amount",
                "entry amount \"\(amountLeaf.value)\" is not a non-negative decimal with at most "
                    + "\(currency.minorUnitDigits) decimals in \(currency.code); the entry is not stored",
                line: amountLeaf.line, xpath: xpath + "/Amt")
            return
        }
        let sign: Int64
        switch entry.indicator {
        case "CRDT": sign = 1
        case "DBIT": sign = -1
        default:
            reject(
                "camt.indicator",
                "entry CdtDbtInd is \"\(entry.indicator ?? "")\"; expected CRDT or DBIT; the entry is not stored",
                line: line, xpath: xpath + "/CdtDbtInd")
            return
        }
        let status: BookingStatus
        switch entry.status {
        case "BOOK": status = .booked
        case "PDNG", "FUTR": status = .pending
        case "INFO": status = .info
        case nil:
            status = .booked
            warn("camt.status", "entry has no Sts; read as booked", line: line, xpath: xpath)
        case let other?:
            status = .info
            warn("camt.status", "entry status \"\(other)\" is not BOOK, PDNG or INFO; kept as info", line: line, xpath: xpath)
        }
        var bookingDate = entry.bookingText.flatMap(CAMTDate.parse)
        let valueDate = entry.valueText.flatMap(CAMTDate.parse)
        if let text = entry.bookingText, bookingDate == nil {
            warn("camt.date", "booking date \"\(text)\" is not an ISO date", line: line, xpath: xpath + "/BookgDt")
        }
        if bookingDate == nil {
            let fallback = valueDate.map { ($0, "the value date") } ?? statement.created.map { ($0, "the creation date of the \(statement.kindName)") }
                ?? messageCreated.map { ($0, "the message creation date") }
            guard let (date, what) = fallback else {
                reject(
                    "camt.date", "entry has no booking date (BookgDt), value date or creation date to use; not stored",
                    line: line, xpath: xpath)
                return
            }
            bookingDate = date
            note("camt.date", "entry has no booking date (BookgDt); \(what) \(date) is used", line: line, xpath: xpath)
        }
        guard let bookingDate else { return }
        let signed = sign * minor
        let entryMoney = Money(minorUnits: signed, currency: currency)
        let base = Transaction(
            account: account, bookingDate: bookingDate, valueDate: valueDate, amount: entryMoney,
            description: "", status: status, location: SourceLocation(file: path, line: line, xpath: xpath),
            position: 0, rawFields: entry.raw, statementIndex: statement.index)
        if entry.details.count <= 1 {
            var row = base
            if let detail = entry.details.first {
                apply(detail, to: &row, entry: entry, negative: signed < 0)
                row.bankId = detail.servicerReference ?? entry.servicerReference
            } else {
                row.description = entry.additionalInfo ?? entry.bankCode ?? ""
                row.bankId = entry.servicerReference
            }
            append(row)
            return
        }
        // A batch: one row per TxDtls when every detail has its own amount and they add up to the entry's.
        var amounts: [Int64] = []
        var problem: String?
        var detailSum: Int64 = 0
        for detail in entry.details {
            guard let leaf = detail.ownAmount else {
                problem = "TxDtls[\(detail.index)] has no amount (Amt or AmtDtls/TxAmt/Amt)"
                break
            }
            if let code = leaf.currency, CurrencyCode(code) != currency {
                problem = "TxDtls[\(detail.index)] is in \(code), not the entry's \(currency.code)"
                break
            }
            guard let value = Money.parseMinorUnits(leaf.value, digits: currency.minorUnitDigits), value >= 0 else {
                problem = "TxDtls[\(detail.index)] amount \"\(leaf.value)\" is not a decimal in \(currency.code)"
                break
            }
            let detailSign: Int64 = detail.indicator == "DBIT" ? -1 : detail.indicator == "CRDT" ? 1 : sign
            amounts.append(detailSign * value)
            detailSum = detailSum &+ detailSign * value
        }
        if problem == nil, detailSum != signed {
            problem =
                "its \(entry.details.count) TxDtls amounts add up to "
                + "\(Money.format(minorUnits: detailSum, digits: currency.minorUnitDigits)), not the entry amount "
                + "\(entryMoney.decimalString)"
        }
        let entryLabel = entry.servicerReference ?? xpath
        if let problem {
            warn(
                "camt.batch",
                "batch entry \(entryLabel): \(problem); stored as one transaction with the entry amount, every "
                    + "detail kept in its raw fields", line: line, xpath: xpath)
            var row = base
            for detail in entry.details {
                for field in detail.raw {
                    row.rawFields.append(
                        RawField(name: "TxDtls[\(detail.index)]" + field.name.dropFirst("TxDtls".count), value: field.value))
                }
            }
            let texts = entry.details.compactMap { $0.remittance ?? $0.additionalInfo }
            row.description = entry.additionalInfo ?? (texts.isEmpty ? nil : texts.joined(separator: "; ")) ?? entry.bankCode ?? ""
            let payees = Set(entry.details.compactMap { $0.counterparty(negative: signed < 0).name })
            row.payee = payees.count == 1 ? payees.first : nil
            row.bankId = entry.servicerReference
            append(row)
            return
        }
        for (detail, amount) in zip(entry.details, amounts) {
            var row = base
            row.amount = Money(minorUnits: amount, currency: currency)
            row.location = SourceLocation(
                file: path, line: detail.line, xpath: xpath + "/NtryDtls/TxDtls[\(detail.index)]")
            apply(detail, to: &row, entry: entry, negative: amount < 0)
            row.rawFields.append(RawField(name: "batchEntry", value: entryLabel))
            row.rawFields.append(RawField(name: "batchDetail", value: "\(detail.index) of \(entry.details.count)"))
            row.bankId = detail.servicerReference ?? entry.servicerReference.map { $0 + "#\(detail.index)" }
            if row.reference == nil, let reference = entry.servicerReference { row.reference = reference + "#\(detail.index)" }
            append(row)
        }
    }

    /// Fills description, payee and reference from a detail, and adds its raw fields.
    private func apply(_ detail: CAMTDetail, to row: inout Transaction, entry: CAMTEntry, negative: Bool) {
        let party = detail.counterparty(negative: negative)
        row.payee = party.name
        row.reference = detail.reference
        row.description =
            detail.remittance ?? detail.additionalInfo ?? entry.additionalInfo ?? party.name ?? entry.bankCode ?? ""
        row.rawFields.append(contentsOf: detail.raw)
        if let iban = party.iban { row.rawFields.append(RawField(name: "counterpartyIBAN", value: iban)) }
    }

    private mutating func append(_ row: Transaction) {
        var row = row
        row.position = emitted
        emitted += 1
        statement.rows += 1
        if row.amount.currency != (statement.balanceCurrency ?? row.amount.currency) { statement.otherCurrency = true }
        if row.status == .booked {
            let (next, overflow) = statement.bookedSum.addingReportingOverflow(row.amount.minorUnits)
            statement.bookedSum = next
            statement.sumOverflow = statement.sumOverflow || overflow
        }
        statement.firstBooking = min(statement.firstBooking ?? row.bookingDate, row.bookingDate)
        statement.lastBooking = max(statement.lastBooking ?? row.bookingDate, row.bookingDate)
        if let sink {
            if !sink(row) { stopped = true }
        } else {
            document.transactions.append(row)
        }
    }

    // MARK: diagnostics

    private mutating func reject(_ code: String, _ message: String, line: Int, xpath: String) {
        statement.rejected += 1
        document.rejectedRecords += 1
        fail(code, message, line: line, xpath: xpath)
    }

    private mutating func fail(_ code: String, _ message: String, line: Int, xpath: String?) {
        document.diagnostics.append(
            Diagnostic(.error, code: code, message: message, location: SourceLocation(file: path, line: line, xpath: xpath)))
    }

    private mutating func warn(_ code: String, _ message: String, line: Int, xpath: String?) {
        document.diagnostics.append(
            Diagnostic(.warning, code: code, message: message, location: SourceLocation(file: path, line: line, xpath: xpath)))
    }

    private mutating func note(_ code: String, _ message: String, line: Int, xpath: String?) {
        document.diagnostics.append(
            Diagnostic(.note, code: code, message: message, location: SourceLocation(file: path, line: line, xpath: xpath)))
    }
}

/// What is known about the statement (report, notification) being read.
struct CAMTStatementState {
    var line = 0
    var xpath = ""
    var label = ""
    var index = 0
    var identifier: String?
    var sequence: String?
    var account: String?
    var currency: CurrencyCode?
    var created: LocalDate?
    var fromDate: LocalDate?
    var toDate: LocalDate?
    var balances: [CAMTBalance] = []
    var entryCount = 0
    var rows = 0
    var rejected = 0
    /// Entries not stored because the statement names no account.
    var unassigned = 0
    var bookedSum: Int64 = 0
    var sumOverflow = false
    var otherCurrency = false
    var firstBooking: LocalDate?
    var lastBooking: LocalDate?

    /// `Stmt 2 (Id 253EUR…)`: how messages name the statement.
    var name: String { label + (identifier.map { " (Id \($0))" } ?? "") }

    /// `statement`, `report` or `notification`, from the container's name.
    var kindName: String {
        label.hasPrefix("Rpt") ? "report" : label.hasPrefix("Ntfctn") ? "notification" : "statement"
    }

    /// The currency balances are checked in: the first balance's.
    var balanceCurrency: CurrencyCode? { balances.first?.money.currency ?? currency }

    /// Takes one statement-level leaf (outside `Bal` and `Ntry`).
    mutating func take(_ leaf: CAMTLeaf) {
        switch leaf.path {
        case "Id": identifier = leaf.value
        case "ElctrncSeqNb": sequence = leaf.value
        case "LglSeqNb": sequence = sequence ?? leaf.value
        case "CreDtTm": created = CAMTDate.parse(leaf.value)
        case "FrToDt/FrDtTm", "FrToDt/FrDt": fromDate = CAMTDate.parse(leaf.value)
        case "FrToDt/ToDtTm", "FrToDt/ToDt": toDate = CAMTDate.parse(leaf.value)
        case "Acct/Id/IBAN": account = leaf.value
        case "Acct/Id/Othr/Id", "Acct/Id/PrtryAcct/Id", "Acct/Id/BBAN", "Acct/Id/UPIC":
            account = account ?? leaf.value
        case "Acct/Ccy": currency = CurrencyCode(leaf.value)
        default: break
        }
    }
}
