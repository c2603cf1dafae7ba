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

    @Test("one encoder over records whose field names change, repeat and need escaping round-trips through Foundation")
    func encoderAcrossChangingRecords() throws {
        var encoder = RawFieldsEncoder()
        let records: [[RawField]] = [
            [RawField(name: "?20", value: "\"starts and ends with quotes\""), RawField(name: "?21", value: "plain")],
            [RawField(name: "?20", value: "tab\there"), RawField(name: "?32", value: "\\")],
            [RawField(name: "?20", value: "x"), RawField(name: "?20", value: "y"), RawField(name: "?20", value: "z")],
            [RawField(name: "a\"b", value: "\u{1F}"), RawField(name: "?21", value: "")],
            [RawField(name: "?20", value: "again"), RawField(name: "?21", value: "ü – €")],
        ]
        // Twice, the second time backwards: every shape then comes back from the encoder's remembered shapes,
        // including the one with repeated names and their suffixes.
        for fields in records + records.reversed() {
            let text = encoder.encode(fields)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
            var expected: [String: String] = [:]
            var counts: [String: Int] = [:]
            for field in fields {
                counts[field.name, default: 0] += 1
                let n = counts[field.name] ?? 1
                expected[n == 1 ? field.name : "\(field.name) (\(n))"] = field.value
            }
            #expect(parsed == expected, "\(text)")
        }
    }
}
