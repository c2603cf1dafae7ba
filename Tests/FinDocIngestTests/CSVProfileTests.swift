#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import FinDocCore
import Testing

@testable import FinDocIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct CSVProfileTests {
    static let folder = TestSupport.repositoryRoot + "/Schemas/profiles"

    @Test func shippedProfilesEqualTheirJSONFiles() throws {
        let files = try #require(TestSupport.listDirectory(Self.folder)).filter {
            $0.hasSuffix(".json") && $0 != "profile.schema.json"
        }
        #expect(files.count >= 4)
        #expect(ShippedProfiles.sources.map(\.file) == files, "run Schemas/profiles/embed.sh")
        for source in ShippedProfiles.sources {
            let bytes = try #require(TestSupport.readFile(Self.folder + "/" + source.file))
            #expect(String(decoding: bytes, as: UTF8.self) == source.json + "\n", "\(source.file): run embed.sh")
        }
        #expect(CSVProfile.shipped.count == ShippedProfiles.sources.count)
        #expect(Set(CSVProfile.shipped.map(\.name)).count == CSVProfile.shipped.count)
        #expect(CSVProfile.shipped.contains { $0.name == "birmingham-pcard" })
    }

    @Test func schemaDescribesExactlyTheDecodedFields() throws {
        struct Node: Decodable {
            let properties: [String: Node]?
            private enum CodingKeys: String, CodingKey { case properties }
        }
        let bytes = try #require(TestSupport.readFile(Self.folder + "/profile.schema.json"))
        let schema = try JSONDecoder().decode(Node.self, from: Data(bytes))
        let top = try #require(schema.properties)
        #expect(Set(top.keys) == Set(CSVProfile.fieldNames))
        let columns = try #require(top["columns"]?.properties)
        #expect(Set(columns.keys) == Set(CSVColumnRole.allCases.map(\.rawValue)))
    }

    @Test func shippedProfilesRoundTripThroughJSON() throws {
        for profile in CSVProfile.shipped {
            let data = try JSONEncoder().encode(profile)
            let again = try CSVProfile.decode(json: Array(data), file: "roundtrip")
            #expect(again == profile)
        }
    }

    func write(_ text: String) -> String {
        let path = "/tmp/findoc-profile-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        if let file = fopen(path, "wb") {
            _ = text.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, file) }
            fclose(file)
        }
        return path
    }

    @Test func loadFromFile() throws {
        let path = write(#"{"name": "x", "columns": {"date": "When", "amount": ["Amt", "Amount"]}, "dateOrder": "mdy"}"#)
        defer { unlink(path) }
        let profile = try CSVProfile.load(from: path)
        #expect(profile.name == "x")
        #expect(profile.columns[.amount] == ["Amt", "Amount"])
        #expect(profile.columns[.date] == ["When"])
        #expect(profile.dateOrder == .mdy)
        #expect(profile.amountSign == .asIs)
    }

    @Test(arguments: [
        (#"{"name": "x", "columns": {"date": "D", "amount": "A"}, "dateorder": "dmy"}"#, "unknown field \"dateorder\""),
        (#"{"name": "x", "columns": {"date": "D", "amont": "A"}}"#, "unknown field \"columns.amont\""),
        (#"{"name": "x", "columns": {"amount": "A"}}"#, "\"columns\" must map \"date\""),
        (#"{"name": "x", "columns": {"date": "D"}}"#, "must map \"amount\", or \"debit\" and \"credit\""),
        (#"{"columns": {"date": "D", "amount": "A"}}"#, "missing required field \"name\""),
        (#"{"name": "x", "columns": {"date": "D", "amount": "A"}, "dateOrder": "dd/mm"}"#, "\"dateOrder\" must be"),
        (#"{"name": "x", "columns": {"date": "D", "amount": "A"}, "defaultCurrency": "pounds"}"#, "\"defaultCurrency\""),
        (#"{"name": "x", "columns": {"date": "D", "amount": "A"}, "decimalSeparator": "'"}"#, "\"decimalSeparator\""),
        (#"{"name": "x", "columns": {"date": 3, "amount": "A"}}"#, "\"columns.date\" must be a column name"),
        (#"{"name": "x", "#, "is not valid JSON"),
    ])
    func loadErrorsNameTheFileAndTheProblem(json: String, expected: String) {
        let path = write(json)
        defer { unlink(path) }
        do {
            _ = try CSVProfile.load(from: path)
            Issue.record("loaded \(json)")
        } catch let error as CSVProfileError {
            #expect(error.file == path)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.description.hasPrefix("profile \(path): "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func missingFile() {
        #expect(throws: CSVProfileError.self) { try CSVProfile.load(from: "/nonexistent/profile.json") }
    }

    @Test func mostSpecificMatchWinsAndUserProfilesCount() {
        let loose = CSVProfile(
            name: "loose", matchHeaders: ["Date"], columns: [.date: ["Date"], .amount: ["Amount"], .description: ["Memo"]])
        let tight = CSVProfile(
            name: "tight", matchHeaders: ["Date", "Amount", "Memo"],
            columns: [.date: ["Date"], .amount: ["Amount"], .description: ["Memo"]], amountSign: .positiveIsDebit,
            defaultCurrency: "GBP")
        let ingestor = CSVStatementIngestor(profiles: [loose, tight])
        let document = ingestor.read(Array("Date,Amount,Memo\n2017-01-01,5.00,x\n".utf8), path: "m.csv")
        #expect(document.profile == "tight")
        #expect(document.transactions.first?.amount.minorUnits == -500)
    }
}
