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

    /// The sixteen-byte scan finds every byte that needs escaping wherever it falls (first, last, at a block edge,
    /// in the tail) and none that does not (UTF-8 bytes ≥ 0x80, DEL): the bytes equal a plain byte-by-byte escaper's,
    /// and Foundation parses them back to the same text.
    @Test func quotingMatchesAByteLoopAnywhereInLongValues() throws {
        func reference(_ value: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for byte in value.utf8 {
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
                default: out.append(byte)
                }
            }
            return out + [0x22]
        }
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "€", "𝄞", "0123456789abcdef"]
        var generator = SystemRandomNumberGenerator()
        var values = ["", "\"", String(repeating: "x", count: 15) + "\"", String(repeating: "x", count: 16) + "\\",
                      String(repeating: "y", count: 31) + "\u{0}" + "tail"]
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...40, using: &generator)
            values.append((0..<count).map { _ in pieces.randomElement(using: &generator) ?? "a" }.joined())
        }
        for value in values {
            var out: [UInt8] = [0x41]
            JSONText.appendQuoted(value, to: &out)
            #expect(Array(out.dropFirst()) == reference(value), "\(value.debugDescription)")
            let parsed = try JSONSerialization.jsonObject(with: Data(out.dropFirst()), options: .fragmentsAllowed) as? String
            #expect(parsed == value, "\(value.debugDescription)")
        }
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
