import FinDocCore
import Testing

@testable import FinDocIngest

/// The XRechnung test suite gives each business case in both syntaxes (`…_ubl.xml` and `…_uncefact.xml`): what we
/// extract must be identical, field by field.
@Suite("UBL and CII pairs")
struct InvoicePairTests {
    /// Every (UBL, CII) pair under the test suite's folders.
    static let pairs: [(String, String)] = {
        var files: [String] = []
        InvoiceTestSupport.walk(InvoiceTestSupport.sharedData + "/invoices_xrechnung_testsuite", into: &files)
        let set = Set(files)
        return files.sorted().compactMap { ubl in
            guard ubl.hasSuffix("_ubl.xml") else { return nil }
            let cii = String(ubl.dropLast("_ubl.xml".count)) + "_uncefact.xml"
            return set.contains(cii) ? (ubl, cii) : nil
        }
    }()

    @Test func pairsAreThere() {
        if Self.pairs.isEmpty { print("note: ../shared/data/invoices_xrechnung_testsuite not found; pair tests skipped") }
        #expect(Self.pairs.isEmpty || Self.pairs.count >= 20)
    }

    /// The invoice without what legitimately differs between syntaxes: where things are, and the syntax itself.
    static func comparable(_ invoice: Invoice) -> Invoice {
        var copy = invoice
        copy.syntax = .cii
        copy.location = SourceLocation(file: "")
        copy.termLocations = [:]
        for index in copy.lines.indices {
            copy.lines[index].location = SourceLocation(file: "")
            for charge in copy.lines[index].allowancesCharges.indices {
                copy.lines[index].allowancesCharges[charge].xpath = nil
            }
        }
        for index in copy.allowancesCharges.indices { copy.allowancesCharges[index].xpath = nil }
        // Item attributes are a set: the two files of the CVD case list them in different orders.
        for index in copy.lines.indices {
            copy.lines[index].attributes.sort { ($0.name, $0.value) < ($1.name, $1.value) }
        }
        // A total stated as 0 in one syntax and left out in the other says the same (BT-107, 108, 113, 114).
        let zero = ExactDecimal.zero
        if copy.totals.allowanceTotal == zero { copy.totals.allowanceTotal = nil }
        if copy.totals.chargeTotal == zero { copy.totals.chargeTotal = nil }
        if copy.totals.prepaidAmount == zero { copy.totals.prepaidAmount = nil }
        if copy.totals.roundingAmount == zero { copy.totals.roundingAmount = nil }
        for index in copy.vatBreakdown.indices { copy.vatBreakdown[index].xpath = nil }
        return copy
    }

    /// The leaf fields where two values differ, found by reflection (named by their path). Optionals are unwrapped
    /// first, so a value present on one side and missing on the other is a difference (casting a nil `Any` to
    /// `ExactDecimal?` succeeds, which once hid every such case).
    static func differences(_ a: Any, _ b: Any, path: String) -> [String] {
        let ma = Mirror(reflecting: a)
        let mb = Mirror(reflecting: b)
        if ma.displayStyle == .optional || mb.displayStyle == .optional {
            switch (ma.children.first?.value, mb.children.first?.value) {
            case (nil, nil): return []
            case (let x?, let y?): return differences(x, y, path: path)
            default: return ["\(path): \(a) vs \(b)"]
            }
        }
        if let x = a as? ExactDecimal {
            return x == (b as? ExactDecimal) ? [] : ["\(path): \(x) vs \(b)"]
        }
        if ma.children.isEmpty || a is String {
            let x = String(describing: a)
            let y = String(describing: b)
            return x == y ? [] : ["\(path): \(x) vs \(y)"]
        }
        let ca = Array(ma.children)
        let cb = Array(mb.children)
        guard ca.count == cb.count else { return ["\(path): \(ca.count) vs \(cb.count) items"] }
        var out: [String] = []
        for (index, (x, y)) in zip(ca, cb).enumerated() {
            out += differences(x.value, y.value, path: path + "." + (x.label ?? String(index)))
        }
        return out
    }

    @Test(arguments: pairs.map { [$0.0, $0.1] })
    func bothSyntaxesGiveTheSameInvoice(_ pair: [String]) throws {
        let ubl = try #require(InvoiceTestSupport.ingest(pair[0])?.invoice)
        let cii = try #require(InvoiceTestSupport.ingest(pair[1])?.invoice)
        #expect(ubl.syntax == .ublInvoice)
        #expect(cii.syntax == .cii)
        let a = Self.comparable(ubl)
        let b = Self.comparable(cii)
        // Field by field, so a failure names what differs.
        let stem = String(pair[0].split(separator: "/").last?.dropLast("_ubl.xml".count) ?? "")
        let known = Self.knownSourceDifferences[stem] ?? []
        for difference in Self.differences(a, b, path: "invoice")
        where !known.contains(where: { difference.hasPrefix($0 + ":") || difference.hasPrefix($0 + ".") }) {
            Issue.record("\(stem): \(difference)")
        }
    }

    /// Fields where the two files of a pair state different things (each checked by reading both files): typos,
    /// swapped city and post code, a VAT id given differently. They say nothing about our readers.
    static let knownSourceDifferences: [String: [String]] = [
        // UBL has an order reference "Dummywert"; the CII file has none.
        "01.11a-INVOICE": ["invoice.orderReference"],
        "01.13a-INVOICE": ["invoice.orderReference"],
        // Different seller VAT ids, payment-means text and exemption reason in the two files.
        "01.21a-INVOICE": ["invoice.seller.vatID", "invoice.paymentMeans.0.text", "invoice.vatBreakdown.0.exemptionReason"],
        // "[Seller street]"/"[Seller city]" in UBL, "[Street]"/"[City]" in CII.
        "01.20a-INVOICE": ["invoice.seller.addressLine1", "invoice.seller.city"],
        // UBL gives the buyer's name as PartyName (trading name, BT-45); CII as Name (BT-44).
        "03.01a-INVOICE": ["invoice.buyer.tradingName"],
        // UBL swaps CityName and PostalZone.
        "03.06a-INVOICE": ["invoice.seller.city", "invoice.seller.postcode", "invoice.buyer.city", "invoice.buyer.postcode"],
        // UBL's RegistrationName says "[Buyer trading name]" and PartyName "[Buyer name]"; CII the other way round.
        // CII lists two seller IDs and a GlobalID, UBL one identification; UBL has two preceding invoices, CII one;
        // UBL gives a base quantity on line 2, CII only on line 1. The CII payee has a legal registration id
        // (BT-61, ram:SpecifiedLegalOrganization/ram:ID 90000000-03083-72); the UBL cac:PayeeParty has no
        // cac:PartyLegalEntity (that number is the buyer's there), in these three cases and the CVD one.
        "01.01_comprehensive_test": [
            "invoice.payee.legalID",
            "invoice.lines.1.baseQuantity", "invoice.lines.1.baseQuantityUnitCode",
            "invoice.buyer.name", "invoice.buyer.tradingName", "invoice.seller.identifiers", "invoice.precedingInvoices",
        ],
        "01.02_comprehensive_test": [
            "invoice.payee.legalID",
            "invoice.lines.1.baseQuantity", "invoice.lines.1.baseQuantityUnitCode",
            "invoice.buyer.name", "invoice.buyer.tradingName", "invoice.seller.identifiers",
        ],
        // As above, and UBL's contact is a person ("Tim Tester"), CII's a department ("Testorganisation").
        "01.04_comprehensive_test": [
            "invoice.payee.legalID",
            "invoice.lines.1.baseQuantity", "invoice.lines.1.baseQuantityUnitCode",
            "invoice.buyer.name", "invoice.buyer.tradingName", "invoice.seller.identifiers", "invoice.seller.contactName",
        ],
        // "Fahrzeug" in UBL, "Fahrzeugde" in CII; seller identifiers as in the comprehensive cases.
        "02.01a-cvd_INVOICE": ["invoice.lines.0.description", "invoice.seller.identifiers", "invoice.payee.legalID"],
    ]
}
