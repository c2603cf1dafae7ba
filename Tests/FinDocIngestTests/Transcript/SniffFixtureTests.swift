import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// Every shared statement, invoice and transcript file sniffs as its folder and extension say, and the transcript
/// check's byte pre-filter never changes the full check's answer (the full check is the reference).
@Suite struct SniffFixtureTests {
    /// The shared folders sniffed here (the statement, card-export, invoice and transcript sets).
    static let folders = [
        "statements_beancount_reds_importers", "statements_camt", "statements_mt940", "statements_oca_bank_statement_import",
        "statements_ofx", "statements_qif", "txn_birmingham_pcard", "invoices_facturx_akretion", "invoices_mustangproject",
        "invoices_peppol_bis3", "invoices_xrechnung_testsuite", "earnings_calls_fool_json", "earnings_calls_fool_raw_text",
        "ectsum/refinitiv_raw_q3_2022", "ectsum/test/ects",
    ]

    /// All regular files under `folder`, sorted.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var paths: [String] = []
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    /// The root element's local name, found by reading tags in order (no namespace search).
    static func rootElement(_ bytes: [UInt8]) -> String? {
        var i = 0
        while let open = bytes[i...].firstIndex(of: UInt8(ascii: "<")) {
            let next = open + 1 < bytes.count ? bytes[open + 1] : 0
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                i = open + 1
                continue
            }
            let name = bytes[(open + 1)...].prefix { $0 != 0x20 && $0 != 0x3E && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0x2F }
            let local = name.split(separator: UInt8(ascii: ":")).last.map { String(decoding: $0, as: UTF8.self) }
            return local
        }
        return nil
    }

    /// Files the sniffer takes for CSV although their folder says otherwise: a licence text named `.mt940` and a
    /// four-byte `:NS:` file that is no SWIFT message. (Seven CII invoices whose comment preamble pushes the root past
    /// the first 4 KiB used to be here too; the sniffer now searches the whole head when the first 4 KiB do not tell.)
    static let knownAsCSV: Set<String> = ["wolph_mt940/LICENSE.mt940", "self-provided/empty_non_swift.sta"]

    /// What the file is, from its folder, extension or root element; nil for documentation, schemas and other
    /// files whose verdict this test does not pin.
    static func expected(_ path: String, _ bytes: [UInt8]) -> DocumentFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if knownAsCSV.contains(where: { path.hasSuffix("/" + $0) }) { return .csv }
        let ext = name.contains(".") ? (name.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
        if path.contains("/statements_") || path.contains("/txn_") {
            switch ext {
            case "ofx", "qfx": return .ofx
            case "sta", "mt940": return .mt940
            case "qif": return .qif
            case "csv": return .csv
            default: break
            }
            if ext == "xml" || (ext.isEmpty && name.hasPrefix("test-camt")) {
                return rootElement(bytes) == "Document" ? .camt : nil
            }
            return nil
        }
        if path.contains("/invoices_"), ext == "xml" {
            switch rootElement(bytes) {
            case "Invoice", "CreditNote": return .ubl
            case "CrossIndustryInvoice", "CrossIndustryDocument": return .cii
            default: return nil
            }
        }
        if path.contains("/earnings_calls_fool_") || path.contains("/refinitiv_raw_q3_2022/"), ext == "txt" {
            return .transcript
        }
        return nil
    }

    @Test func sharedFilesSniffAsTheirFolderAndExtensionSay() throws {
        let root = TestSupport.repositoryRoot + "/../shared/data"
        var pinned = 0
        var all = 0
        for folder in Self.folders {
            let paths = Self.files(under: root + "/" + folder)
            try #require(!paths.isEmpty, "../shared/data/\(folder) must hold files (CI runs with ../shared)")
            for path in paths {
                guard let bytes = TestSupport.readFile(path) else {
                    Issue.record("cannot read \(path)")
                    continue
                }
                all += 1
                // The pre-filter only ever says "no" where the full check says "no".
                #expect(
                    TranscriptIngestor.looksLike(bytes) == TranscriptIngestor.looksLikeByFullCheck(bytes),
                    "transcript check changed for \(path)")
                if let format = Self.expected(path, bytes) {
                    pinned += 1
                    #expect(FormatSniffer.sniff(bytes) == .format(format), "\(path)")
                }
            }
        }
        // Statements (~90), Birmingham (9), invoices (~150) and transcripts (~140) are pinned.
        #expect(pinned >= 300, "pinned \(pinned) of \(all) files")
    }

    /// Heads built to sit on the edges of the pre-filter's reasoning: Unicode white space before "{" or "<", "İ"
    /// lower-casing to "i", CR/LF line ends, a single signal in a CSV.
    @Test(arguments: [
        "Date;Amount;Payee\n01/01/2024;10.00;Conference Fees\n",
        "Date,Operator,Amount\nOperator,1,2\n",
        "Date,Amount\n1,2 -- 3\n4,5 -- 6\n",
        "\u{00A0}{\"q_and_a\": []}",
        "\u{3000}<html><body>x</body></html>",
        "\u{FEFF}Operator\r\n\r\nQuestions and Answers\r\n",
        "EARNİNGS CALL\nQUESTİONS AND ANSWERS\n",
        "Q3 EARNINGS CALL\n\nOperator\n\nGood day.\n",
        "Title\n\nJohn Smith -- Chief Executive Officer\n\nHello.\n\nJane Doe -- Chief Financial Officer\n\nHi.\n",
        "x\n\nJohn Smith -- CEO\n\nJane Doe -- CFO\n\nconference call\n",
        "   \t\n",
        "CORPORATE PARTICIPANTS\nquestion-and-answer\n",
    ])
    func preFilterAgreesWithTheFullCheck(_ head: String) {
        let bytes = Array(head.utf8)
        #expect(TranscriptIngestor.looksLike(bytes) == TranscriptIngestor.looksLikeByFullCheck(bytes))
    }
}
