import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// `--validate` for camt: files checked against the official ISO 20022 XSDs, which findoc does not ship (their
/// terms are not a licence this repository may redistribute). The XSDs are read in place from the shared copy of
/// genkgo/camt's `xsd/` folder; expected results come from `xmllint --stream --schema` run on each file.
@Suite("camt XSD validation")
struct CAMTSchemaValidationTests {
    static let xsd = TestSupport.repositoryRoot + "/../shared/data/statements_camt/genkgo_camt/xsd"
    static let fixtures = TestSupport.repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/camt/"

    static func schemas() throws -> CAMTSchemas? {
        guard TestSupport.listDirectory(xsd) != nil else {
            print("skipped: \(xsd) is absent")
            return nil
        }
        return try CAMTSchemas(directory: xsd)
    }

    static func read(_ name: String, schemas: CAMTSchemas?) throws -> StatementDocument {
        let bytes = try #require(TestSupport.readFile(fixtures + name))
        return CAMTStatementIngestor(schemas: schemas).read(bytes, path: name)
    }

    @Test func everyShippedVersionLoads() throws {
        guard let schemas = try Self.schemas() else { return }
        // The shared folder's file names: 052.001.01/02/04/06/08, 053.001.02/03/04/08, 054.001.02/04/08.
        #expect(schemas.versions.count == 12)
        #expect(schemas.versions.first == "camt.052.001.01" && schemas.versions.last == "camt.054.001.08")
    }

    @Test(arguments: CAMTFixtureTests.genkgoFiles)
    func genkgoFilesValidateAsXmllintSays(_ name: String) throws {
        guard let schemas = try Self.schemas() else { return }
        let document = try Self.read("genkgo/" + name, schemas: schemas)
        let errors = TestSupport.diagnostics(document, "camt.xsd").filter { $0.severity == .error }
        if name == "camt053.v2.wrong.xml" {
            // xmllint: line 8, BkToCstmrStmt: Missing child element(s). Expected is ( Stmt ).
            let error = try #require(errors.first)
            #expect(error.location.line == 8)
            #expect(error.message.contains("BkToCstmrStmt") && error.message.contains("Stmt"))
            #expect(error.message.contains("camt.053.001.02.xsd"))
        } else {
            #expect(errors.isEmpty, "\(name): \(errors)")
            #expect(TestSupport.diagnostics(document, "camt.xsd").isEmpty)
        }
    }

    @Test func handMadeFilesThatBreakTheSchemaAreLocatedAndStillRead() throws {
        guard let schemas = try Self.schemas() else { return }
        // xmllint --stream: batch053.xml line 10 "FrToDt: This element is not expected" and line 91 "Acct: …";
        // statement053-booked.xml line 34 "NtryDtls: This element is not expected"; notification054.xml validates.
        for (name, expected) in [
            ("handmade/batch053.xml", [(10, "FrToDt"), (91, "Acct")]),
            ("handmade/statement053-booked.xml", [(34, "NtryDtls")]),
        ] {
            let plain = try Self.read(name, schemas: nil)
            let validated = try Self.read(name, schemas: schemas)
            let errors = TestSupport.diagnostics(validated, "camt.xsd")
            #expect(errors.map(\.location.line) == expected.map(\.0), "\(name)")
            for (error, (_, element)) in zip(errors, expected) {
                #expect(error.severity == .error)
                #expect(error.message.contains("'{urn:iso:std:iso:20022:tech:xsd:"), "\(name): \(error.message)")
                #expect(error.message.contains("}\(element)'"), "\(name): \(error.message)")
            }
            // Validation only adds diagnostics: the same rows are read.
            #expect(validated.transactions.map(\.amount) == plain.transactions.map(\.amount))
            #expect(TestSupport.diagnostics(plain, "camt.xsd").isEmpty)
        }
        let valid = try Self.read("handmade/notification054.xml", schemas: schemas)
        #expect(TestSupport.diagnostics(valid, "camt.xsd").isEmpty)
    }

    @Test func aVersionWithoutItsXSDGetsANote() throws {
        guard let schemas = try Self.schemas() else { return }
        let bytes = try #require(TestSupport.readFile(Self.fixtures + "genkgo/camt053.v2.minimal.xml"))
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "camt.053.001.02", with: "camt.053.001.13")
        let document = CAMTStatementIngestor(schemas: schemas).read(Array(text.utf8), path: "v13.xml")
        let note = try #require(TestSupport.diagnostics(document, "camt.xsd").first)
        #expect(note.severity == .note)
        #expect(note.message.contains("camt.053.001.13"))
        #expect(!document.transactions.isEmpty)
    }

    @Test func aFolderWithoutCamtSchemasIsAnError() {
        #expect(throws: (any Error).self) { try CAMTSchemas(directory: Self.fixtures + "genkgo") }
    }
}
