import FinDocCore
import Testing

@testable import FinDocIngest

/// The payee (BG-10, a third party paid instead of the seller) is read in both syntaxes: UBL `cac:PayeeParty`
/// and CII `ram:ApplicableHeaderTradeSettlement/ram:PayeeTradeParty`. Each reader is checked against its file's
/// text (a regular expression over the payee element), and the two files of each XRechnung pair against each other.
@Suite("Payee in UBL and CII")
struct PayeeTests {
    /// The XRechnung pairs whose CII file names a payee.
    static let pairs: [(String, String)] = InvoicePairTests.pairs.filter { pair in
        TestSupport.readFile(pair.1).map { String(decoding: $0, as: UTF8.self).contains("<ram:PayeeTradeParty>") } ?? false
    }

    /// The payee as the text states it: BT-59 name, BT-60 identifiers (in the order our readers keep: CII `ram:ID`
    /// then `ram:GlobalID`), BT-61 legal registration id.
    struct TextPayee: Equatable {
        var name: String?
        var identifiers: [String]
        var legalID: String?
    }

    static func first(_ pattern: String, in text: Substring) throws -> String? {
        try Regex(pattern).firstMatch(in: text)?.output[1].substring.map(String.init)
    }

    static func all(_ pattern: String, in text: Substring) throws -> [String] {
        try text.matches(of: Regex(pattern)).compactMap { $0.output[1].substring.map(String.init) }
    }

    static func textPayee(_ path: String) throws -> TextPayee? {
        let text = String(decoding: try #require(TestSupport.readFile(path)), as: UTF8.self)
        if let block = try text.firstMatch(of: Regex(#"<ram:PayeeTradeParty>(.*?)</ram:PayeeTradeParty>"#).dotMatchesNewlines())?
            .output[1].substring
        {
            // The legal organisation's own ram:ID sits inside ram:SpecifiedLegalOrganization: take it out first.
            let legal = try first(#"<ram:SpecifiedLegalOrganization>\s*(?:<!--.*?-->\s*)*<ram:ID[^>]*>([^<]*)<"#, in: block)
            let outside = Substring(block.replacing(try Regex(#"<ram:SpecifiedLegalOrganization>(?s:.*?)</ram:SpecifiedLegalOrganization>"#), with: ""))
            return TextPayee(
                name: try first(#"<ram:Name>([^<]*)</ram:Name>"#, in: outside),
                identifiers: try all(#"<ram:ID[^>]*>([^<]*)</ram:ID>"#, in: outside)
                    + all(#"<ram:GlobalID[^>]*>([^<]*)</ram:GlobalID>"#, in: outside),
                legalID: legal)
        }
        if let block = try text.firstMatch(of: Regex(#"<cac:PayeeParty>(.*?)</cac:PayeeParty>"#).dotMatchesNewlines())?
            .output[1].substring
        {
            return TextPayee(
                name: try first(#"<cac:PartyName>\s*<cbc:Name>([^<]*)</cbc:Name>"#, in: block),
                identifiers: try all(#"<cac:PartyIdentification>\s*<cbc:ID(?![^>]*SEPA)[^>]*>([^<]*)</cbc:ID>"#, in: block),
                legalID: try first(#"<cac:PartyLegalEntity>(?s:.*?)<cbc:CompanyID[^>]*>([^<]*)<"#, in: block))
        }
        return nil
    }

    static func readPayee(_ path: String) throws -> TextPayee? {
        let invoice = try #require(InvoiceTestSupport.ingest(path)?.invoice, "\(path)")
        return invoice.payee.map { TextPayee(name: $0.name, identifiers: $0.identifiers, legalID: $0.legalID) }
    }

    @Test func pairsWithAPayeeAreThere() {
        if InvoicePairTests.pairs.isEmpty { return }  // no ../shared: the pair suite says so
        #expect(Self.pairs.count >= 7)
    }

    @Test(arguments: pairs.map { [$0.0, $0.1] })
    func bothReadersAgreeWithTheirText(_ pair: [String]) throws {
        let ubl = try #require(try Self.textPayee(pair[0]), "no cac:PayeeParty in \(pair[0])")
        let cii = try #require(try Self.textPayee(pair[1]))
        #expect(try Self.readPayee(pair[0]) == ubl)
        #expect(try Self.readPayee(pair[1]) == cii)
        // Name and identifier agree across the pair (the legal id is missing from some UBL files; see the pair test).
        #expect(ubl.name == cii.name && ubl.identifiers == cii.identifiers && ubl.name != nil)
    }

    @Test func facturXBasicPayee() throws {
        let path = InvoiceTestSupport.sharedData + "/invoices_facturx_akretion/examples/factur-x-basic.xml"
        guard TestSupport.readFile(path) != nil else {
            Issue.record("shared fixture missing: \(path)")
            return
        }
        let text = try #require(try Self.textPayee(path))
        #expect(text == TextPayee(name: "PAYEE NAME", identifiers: ["587451236586"], legalID: "303656847"))
        #expect(try Self.readPayee(path) == text)
    }
}
