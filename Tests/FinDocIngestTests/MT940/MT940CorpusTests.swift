import FinDocCore
import Testing

@testable import FinDocIngest

/// Paths and independent checks for the MT940 fixture and corpus tests.
enum MT940Corpus {
    /// The repository root: this file is Tests/FinDocIngestTests/MT940/MT940CorpusTests.swift.
    static let repositoryRoot = TestSupport.repositoryRoot

    static let fixtures = repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/mt940"
    static let shared = repositoryRoot + "/../shared/data/statements_mt940"
    static var sharedPresent: Bool { TestSupport.listDirectory(shared) != nil }

    /// Every statement file below `root` (licences and notes left out), as full paths.
    static func statementFiles(_ root: String) -> [String] {
        guard let names = TestSupport.listDirectory(root) else { return [] }
        var files: [String] = []
        for name in names {
            let path = root + "/" + name
            if TestSupport.listDirectory(path) != nil {
                files += statementFiles(path)
            } else if name.hasSuffix(".sta") || name.hasSuffix(".txt") || name.hasSuffix(".940")  {
                files.append(path)
            }
        }
        return files
    }

    /// The file's lines, split on LF with CR and the SOH/ETX wrapping removed: a scan that shares no code with the
    /// ingestor.
    static func lines(_ bytes: [UInt8]) -> [String] {
        // Split on bytes: in Swift "\r\n" is one Character and would hide the line break from a Character split.
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0.filter { $0 != 0x0D && $0 != 0x01 && $0 != 0x03 }, as: UTF8.self)
        }
    }

    /// The amount of a `:61:` line in minor units of a two-digit currency, read as "the digits around the first
    /// comma" — independent of the ingestor's field-by-field parser.
    static func independentAmount(_ line: String) -> Int64? {
        let chars = Array(line.dropFirst(4))
        guard let comma = chars.firstIndex(of: ",") else { return nil }
        var start = comma
        while start > 0, chars[start - 1].isASCII, chars[start - 1].isNumber { start -= 1 }
        var end = comma + 1
        while end < chars.count, end - comma <= 2, chars[end].isASCII, chars[end].isNumber { end += 1 }
        let whole = String(chars[start..<comma])
        var fraction = String(chars[(comma + 1)..<end])
        while fraction.count < 2 { fraction += "0" }
        guard !whole.isEmpty, let w = Int64(whole), let f = Int64(fraction) else { return nil }
        return w * 100 + f
    }

    /// Checks one file against the independent truths; returns a one-line summary.
    @discardableResult
    static func check(_ path: String) -> String {
        guard let bytes = TestSupport.readFile(path) else {
            Issue.record("cannot read \(path)")
            return ""
        }
        let d = MT940StatementIngestor().read(bytes, path: path)
        let text = lines(bytes)
        // Every error is located.
        for diagnostic in d.diagnostics where diagnostic.severity == .error {
            #expect(diagnostic.location.line != nil, "\(path): \(diagnostic)")
            #expect(diagnostic.location.file == path)
        }
        if d.unreadable {
            #expect(d.hasErrors, "\(path) unreadable without an error")
            #expect(d.transactions.isEmpty)
        }
        // :61: lines counted by a plain scan: each one is a transaction or a rejected record.
        let entryLines = text.filter { $0.hasPrefix(":61:") }.count
        #expect(d.transactions.count + d.rejectedRecords == entryLines, "\(path): \(entryLines) :61: lines")
        var rejectedByLine = Set(d.diagnostics.filter { $0.severity == .error }.compactMap(\.location.line))
        rejectedByLine.formUnion(d.diagnostics.filter { $0.code == "mt940.date" }.compactMap(\.location.line))
        for t in d.transactions {
            #expect((t.statementIndex ?? -1) >= 0 && (t.statementIndex ?? -1) < d.statements.count)
            guard let line = t.location.line, line >= 1, line <= text.count else {
                Issue.record("\(path): transaction without a valid line")
                continue
            }
            let source = text[line - 1]
            #expect(source.hasPrefix(":61:"), "\(path):\(line)")
            if t.amount.currency.minorUnitDigits == 2, let expected = independentAmount(source) {
                #expect(t.amount.minorUnits.magnitude == expected.magnitude, "\(path):\(line) amount")
            }
            // Value date: the six digits after the tag, unless the ingestor warned it moved a month-end day.
            if !rejectedByLine.contains(line), let v = t.valueDate {
                let yymmdd = String(source.dropFirst(4).prefix(6))
                let printed = String(v.iso.dropFirst(2).filter { $0 != "-" })
                #expect(printed == yymmdd, "\(path):\(line) value date")
            }
        }
        // Balances re-checked from the transactions: a warning exactly for the statements that do not add up.
        var mismatched = Set<Int>()
        for (index, s) in d.statements.enumerated() {
            guard let opening = s.openingBalance, let closing = s.closingBalance else { continue }
            let sum = d.transactions.filter { $0.statementIndex == index }.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            if opening.minorUnits + sum != closing.minorUnits, let line = s.location?.line { mismatched.insert(line) }
        }
        let warned = Set(d.diagnostics.filter { $0.code == "mt940.balance" }.compactMap(\.location.line))
        #expect(mismatched.isSubset(of: warned), "\(path): unreported balance differences at \(mismatched)")
        let name = path.split(separator: "/").suffix(2).joined(separator: "/")
        let codes = Dictionary(grouping: d.diagnostics.map(\.code), by: { $0 }).map { "\($0.key)×\($0.value.count)" }
            .sorted().joined(separator: " ")
        return
            "\(name): \(d.statements.count) stmts, \(d.transactions.count) tx, \(d.rejectedRecords) rejected\(d.unreadable ? ", UNREADABLE" : "") \(codes)"
    }
}

@Suite("MT940 fixtures and corpus")
struct MT940CorpusTests {
    @Test("Copied fixtures pass the independent checks")
    func fixtures() {
        let files = MT940Corpus.statementFiles(MT940Corpus.fixtures)
        #expect(files.count == 6)
        for file in files { MT940Corpus.check(file) }
    }

    @Test("mBank fixture: amounts, balances, bank references, multi-line :86:")
    func mBank() throws {
        let bytes = try #require(TestSupport.readFile(MT940Corpus.fixtures + "/mbank_mt940.sta"))
        let d = MT940StatementIngestor().read(bytes, path: "mbank.sta")
        #expect(!d.hasErrors, "\(d.diagnostics)")
        #expect(d.diagnostics.isEmpty)
        let s = try #require(d.statements.first)
        #expect(s.account == "PL29114010810000267002001002")
        #expect(s.identifier == "1/1")
        #expect(s.openingBalance?.decimalString == "0.40")
        #expect(s.closingBalance?.decimalString == "0.43")
        #expect(s.currency?.code == "PLN")
        #expect(d.transactions.map(\.amount.minorUnits) == [1, 1, 1])
        #expect(d.transactions.map(\.bankId) == ["MB170119012058", "MB170119012085", "MB170119012121"])
        #expect(d.transactions.first?.description.hasPrefix("911 TRANSAKCJA COLLECT; ID IPH: XX000000000001;") == true)
        #expect(d.transactions.first?.bookingDate == LocalDate(year: 2017, month: 1, day: 19))
    }

    @Test("ASN envelope fixture: one statement per {4: block, balances add up")
    func asnEnvelope() throws {
        let bytes = try #require(TestSupport.readFile(MT940Corpus.fixtures + "/asnb_envelope.940.txt"))
        let d = MT940StatementIngestor().read(bytes, path: "asnb")
        #expect(!d.hasErrors, "\(d.diagnostics)")
        #expect(!d.diagnostics.contains { $0.code == "mt940.balance" })
        #expect(d.statements.count >= 5)
        #expect(d.statements.allSatisfy { $0.account == "NL81ASNB9999999999" })
        #expect(d.statements.prefix(5).map(\.identifier) == ["1/1", "2/1", "3/1", "4/1", "5/1"])
        #expect(d.transactions.first?.amount.minorUnits == -6500)
        #expect(MT940StatementIngestor.looksLike(bytes))
    }

    @Test("Whole shared corpus: every file ingests or fails with a located error", .enabled(if: MT940Corpus.sharedPresent))
    func sharedCorpus() {
        let files = MT940Corpus.statementFiles(MT940Corpus.shared)
        #expect(files.count >= 20)
        var summary: [String] = []
        for file in files { summary.append(MT940Corpus.check(file)) }
        print(summary.joined(separator: "\n"))
    }
}
