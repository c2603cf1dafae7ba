import FinDocCore
import Testing

@testable import FinDocIngest

/// Mustang's validator fixtures are named for their verdict (`valid…`, `invalid…_BR-…`). Where the named rule is one
/// findoc checks, our verdict must agree; files meant to be valid must raise none of our EN 16931 rules.
@Suite("Validator agreement")
struct InvoiceValidatorAgreementTests {
    static let folder = InvoiceTestSupport.sharedData + "/invoices_mustangproject/validator"
    static let files = (TestSupport.listDirectory(folder) ?? []).filter { $0.hasSuffix(".xml") }

    /// Rule findings of ours (EN 16931 rule ids), not field or XML problems.
    static func ruleCodes(_ document: InvoiceDocument) -> Set<String> {
        Set(document.diagnostics.map(\.code).filter { $0.hasPrefix("BR-") })
    }

    @Test(arguments: files.filter { $0.hasPrefix("valid") })
    func validFilesBreakNoRule(_ name: String) throws {
        let document = try #require(InvoiceTestSupport.ingest(Self.folder + "/" + name))
        if document.invoice == nil {
            // ZUGFeRD 1.0 files are recognised and refused, which is no verdict on their validity.
            #expect(document.diagnostics.first?.code == "invoice.unsupported")
            return
        }
        #expect(Self.ruleCodes(document).isEmpty, "\(document.diagnostics)")
    }

    @Test(arguments: files.filter { $0.hasPrefix("invalid") && $0.contains("_BR-") })
    func invalidFilesBreakTheirNamedRule(_ name: String) throws {
        // "invalidXRV30_BR-DEC-23.xml" names BR-DEC-23.
        let rule = String(name[name.range(of: "BR-")!.lowerBound...].dropLast(".xml".count))
        let document = try #require(InvoiceTestSupport.ingest(Self.folder + "/" + name))
        #expect(Self.ruleCodes(document).contains(rule), "\(rule) expected; got \(document.diagnostics)")
    }

    /// Files whose names say they break the arithmetic: we must find a calculation error.
    @Test func invalidArithmeticsIsCaught() throws {
        let path = Self.folder + "/invalidArithmetics.xml"
        guard let document = InvoiceTestSupport.ingest(path) else { return }
        let codes = document.diagnostics.map(\.code)
        #expect(codes.contains { $0.hasPrefix("BR-CO-") || $0 == "findoc.line-net" }, "\(codes)")
    }

    /// The XRechnung test suite and the PEPPOL examples are valid instances: none of our rules may fire.
    @Test(arguments: InvoiceTestSupport.sharedInvoiceFiles().filter {
        $0.contains("invoices_xrechnung_testsuite") || $0.contains("invoices_peppol_bis3")
    })
    func conformanceSuitesBreakNoRule(_ path: String) throws {
        let document = try #require(InvoiceTestSupport.ingest(path))
        #expect(document.invoice != nil)
        #expect(document.diagnostics.isEmpty, "\(document.diagnostics)")
    }
}

/// The Factur-X / ZUGFeRD profiles without lines, by their specification identifiers (BT-24) as the Factur-X 1.0
/// specification lists them, in any case.
@Suite struct ReducedProfileTests {
    @Test(arguments: [
        ("urn:factur-x.eu:1p0:minimum", true), ("urn:factur-x.eu:1p0:basicwl", true),
        ("URN:FACTUR-X.EU:1P0:MINIMUM", true), ("urn:zugferd.de:2p0:basicwl", true),
        ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", false), ("urn:cen.eu:en16931:2017", false),
        ("urn:factur-x.eu:1p0:minimal", false), ("", false),
    ])
    func reducedProfiles(id: String, reduced: Bool) {
        #expect(InvoiceRules.isReducedProfile(id) == reduced, "\(id)")
    }

    @Test func noIdentifierIsNotReduced() {
        #expect(!InvoiceRules.isReducedProfile(nil))
    }
}
