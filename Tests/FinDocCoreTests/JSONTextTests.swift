import FinDocCore
import Foundation
import Testing

@Suite struct JSONTextTests {
    @Test func objectsParseBackWithFoundation() throws {
        let fields = [
            RawField(name: "Desc", value: "a \"quoted\" \\ value\nwith\tcontrol \u{1} chars – and £"),
            RawField(name: "Desc", value: "second column with the same name"),
            RawField(name: "Empty", value: ""),
        ]
        let text = JSONText.object(fields)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(parsed["Desc"] == fields[0].value)
        #expect(parsed["Desc (2)"] == fields[1].value)
        #expect(parsed["Empty"] == "")
        #expect(parsed.count == 3)
    }
}
