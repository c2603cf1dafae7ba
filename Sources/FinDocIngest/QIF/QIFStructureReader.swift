import FinDocCore

/// The first pass over a QIF file: splits it into headers and records, tracks the section and the current account,
/// and reports headers it skips. Field values are not interpreted here.
struct QIFStructureReader {
    /// The file's path, for locations.
    let path: String
    /// The account used until an `!Account` block names one.
    let defaultAccount: String

    /// The records of every section, in source order, including those of sections that are skipped later.
    private(set) var records: [QIFRecord] = []
    /// Diagnostics about headers and structure.
    private(set) var diagnostics: [Diagnostic] = []
    /// Whether any `!` header was seen.
    private(set) var sawHeader = false
    /// The `!Account` blocks that name an account, in source order.
    private(set) var accounts: [QIFAccountBlock] = []

    private var section: QIFSection?
    private var account: String
    private var fields: [QIFField] = []
    private var namer = QIFFieldNamer(splits: true)
    private var transactionRecords = 0
    private var warnedNoHeader = false
    private var lines: [Substring] = []

    /// Creates a reader for one file.
    init(path: String, defaultAccount: String) {
        self.path = path
        self.defaultAccount = defaultAccount
        account = defaultAccount
    }

    /// The text of a 1-based line, for diagnostics.
    func sourceLine(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        return String(lines[number - 1])
    }

    /// Reads the whole text.
    mutating func read(_ text: String) {
        // Character-level splitting treats "\r\n", "\n" and a lone "\r" alike, as Quicken files use all three.
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = raw.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            guard let letter = line.first else { continue }
            if letter == "!" {
                header(line.dropFirst(), line: number)
            } else if letter == "^" {
                finishRecord(terminated: true)
            } else if letter == "#", fields.isEmpty {
                // Comment lines between records (some tools and test files write them); inside a record a "#" line
                // is kept as an unknown field instead, so nothing the record said is lost.
                continue
            } else {
                let name = namer.name(for: letter)
                fields.append(QIFField(letter: letter, value: line.dropFirst(), line: number, name: name))
            }
        }
        finishRecord(terminated: false)
    }

    private mutating func header(_ text: Substring, line: Int) {
        finishRecord(terminated: false)
        sawHeader = true
        guard let next = QIFSection.from(header: text) else {
            // !Option:AutoSwitch / !Clear:AutoSwitch only bracket account lists; the !Account blocks say the rest.
            return
        }
        section = next
        namer = QIFFieldNamer(splits: Self.hasSplits(next))
        switch next {
        case .list(let name):
            diagnostics.append(
                Diagnostic(
                    .note, code: "qif.section-skipped",
                    message: "section !Type:\(name) holds no transactions (categories, classes, securities, prices or "
                        + "memorized items); skipped",
                    location: SourceLocation(file: path, line: line), sourceLine: sourceLine(line)))
        case .unknown(let name):
            diagnostics.append(
                Diagnostic(
                    .warning, code: "qif.section-unknown",
                    message: "unknown QIF header \(name); its records are skipped (expected !Type:Bank, CCard, "
                        + "Cash, Oth A, Oth L, Invst, or !Account)",
                    location: SourceLocation(file: path, line: line), sourceLine: sourceLine(line)))
        case .cash, .investment, .account:
            break
        }
    }

    private static func hasSplits(_ section: QIFSection) -> Bool {
        if case .cash = section { return true }
        return false
    }

    private mutating func finishRecord(terminated: Bool) {
        defer {
            fields = []
            namer = QIFFieldNamer(splits: Self.hasSplits(section ?? .cash("Bank")))
        }
        guard let first = fields.first else { return }
        let current: QIFSection
        if let section {
            current = section
        } else {
            // Records before any header: read them as a bank section (the usual content of headerless exports).
            current = .cash("Bank")
            if !warnedNoHeader {
                warnedNoHeader = true
                diagnostics.append(
                    Diagnostic(
                        .warning, code: "qif.no-header",
                        message: "records before any !Type header; read as !Type:Bank",
                        location: SourceLocation(file: path, line: first.line), sourceLine: sourceLine(first.line)))
            }
        }
        if current == .account {
            // An account block: transactions that follow belong to the account it names.
            if let name = fields.first(where: { $0.letter == "N" })?.value.trimmingASCIIWhitespace(), !name.isEmpty {
                account = String(name)
                accounts.append(
                    QIFAccountBlock(
                        name: String(name), line: first.line, balance: fields.first { $0.letter == "$" },
                        balanceDate: fields.first { $0.letter == "/" }))
            }
            return
        }
        var position = -1
        switch current {
        case .cash, .investment:
            position = transactionRecords
            transactionRecords += 1
        case .account, .list, .unknown:
            break
        }
        records.append(
            QIFRecord(section: current, account: account, fields: fields, terminated: terminated, position: position))
    }
}
