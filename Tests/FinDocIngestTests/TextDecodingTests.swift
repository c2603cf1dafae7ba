import FinDocCore
import Testing

@testable import FinDocIngest

@Suite struct TextDecodingTests {
    @Test func plainUTF8() throws {
        let decoded = try #require(TextDecoding.decode(Array("Date,Amount\n01/02/2017,£3.50\n".utf8)))
        #expect(decoded.encoding == "UTF-8")
        #expect(decoded.text == "Date,Amount\n01/02/2017,£3.50\n")
    }

    @Test func utf8ByteOrderMarkIsDropped() throws {
        let decoded = try #require(TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Date".utf8)))
        #expect(decoded.text == "Date")
        #expect(decoded.encoding == "UTF-8")
    }

    @Test func utf16LittleAndBigEndianWithBOM() throws {
        let text = "Date;Betrag\r\n03.01.2017;-1,50 €\r\n𝄞"
        var le: [UInt8] = [0xFF, 0xFE]
        var be: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            le += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            be += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        #expect(TextDecoding.decode(le)?.text == text)
        #expect(TextDecoding.decode(le)?.encoding == "UTF-16LE")
        #expect(TextDecoding.decode(be)?.text == text)
        #expect(TextDecoding.decode(be)?.encoding == "UTF-16BE")
        // Without a BOM, the zero bytes give UTF-16 away.
        #expect(TextDecoding.decode(Array(le.dropFirst(2)))?.text == text)
    }

    @Test func windows1252Fallback() throws {
        // "Café – £5 €" in cp1252, plus an undefined byte 0x81 that must survive as U+0081.
        let bytes: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x96, 0x20, 0xA3, 0x35, 0x20, 0x80, 0x81]
        let decoded = try #require(TextDecoding.decode(bytes))
        #expect(decoded.encoding == "Windows-1252")
        #expect(decoded.text == "Café – £5 €\u{81}")
    }

    @Test func invalidUTF8SequencesFallBackToCp1252() {
        // An overlong encoding and a lone continuation byte are not UTF-8.
        #expect(TextDecoding.decode([0xC0, 0xAF])?.encoding == "Windows-1252")
        #expect(TextDecoding.decode([0x41, 0x80])?.encoding == "Windows-1252")
        #expect(TextDecoding.decode([0xED, 0xA0, 0x80])?.encoding == "Windows-1252")  // a surrogate
        #expect(TextDecoding.decode([0xF0, 0x9D, 0x84, 0x9E])?.encoding == "UTF-8")
    }

    @Test func binaryIsRecognised() {
        #expect(TextDecoding.decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]) == nil)
        #expect(TextDecoding.decode(Array(repeating: 0x01, count: 100) + Array("abc".utf8)) == nil)
        #expect(TextDecoding.decode(Array("a,b\n1,2\n".utf8) + [0x1B] + Array("x,y\n".utf8)) != nil)  // one stray ESC
    }

    @Test func binaryInputIsUnreadableWithOneError() throws {
        var bytes = Array("PK".utf8) + [0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
        bytes += Array(repeating: 0x41, count: 40)
        let document = CSVStatementIngestor().read(bytes, path: "statement.zip")
        #expect(document.unreadable)
        #expect(document.transactions.isEmpty)
        let error = try #require(document.diagnostics.first)
        #expect(document.diagnostics.count == 1)
        #expect(error.code == "csv.binary")
        #expect(error.severity == .error)
        #expect(error.message == "statement.zip is not text (binary data at byte 5); expected a CSV export")
    }

    @Test(arguments: ["", "   \n\r\n\t  \n"])
    func emptyInputIsUnreadable(text: String) throws {
        let document = TestSupport.read(text)
        #expect(document.unreadable)
        #expect(document.diagnostics.map(\.code) == ["csv.empty"])
        #expect(document.diagnostics.first?.severity == .error)
    }
}

/// `UTF8Encoding.isValid` (an eight-byte ASCII fast path taken again after every multi-byte character) agrees with
/// the standard library's validation on text that mixes ASCII runs with valid and broken sequences anywhere.
@Suite struct UTF8ValidationTests {
    @Test func agreesWithTheStandardLibrary() {
        let pieces: [[UInt8]] = [
            Array("plain ascii text".utf8), Array("ü".utf8), Array("€".utf8), Array("𝄞".utf8), [0x41],
            [0xC3], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xFF],
        ]
        var generator = SystemRandomNumberGenerator()
        var checked = (valid: 0, invalid: 0)
        for round in 0..<3_000 {
            let count = Int.random(in: 0...12, using: &generator)
            // Mostly valid pieces, so that long valid texts with several multi-byte characters are common.
            let limit = round % 3 == 0 ? pieces.count : 5
            let bytes = (0..<count).flatMap { _ in pieces[Int.random(in: 0..<limit, using: &generator)] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let got = bytes.withUnsafeBufferPointer { UTF8Encoding.isValid($0) }
            #expect(got == expected, "\(bytes)")
            if expected { checked.valid += 1 } else { checked.invalid += 1 }
        }
        #expect(checked.valid > 500 && checked.invalid > 200)
        // Every broken piece at every offset of the eight-byte words, both at the start and after a multi-byte
        // character (where the fast path starts again).
        for lead in [[UInt8](), Array("ü".utf8), Array("x€".utf8)] {
            for offset in 0..<24 {
                for piece in pieces {
                    let bytes = lead + [UInt8](repeating: 0x61, count: offset) + piece + Array("tail of ascii".utf8)
                    let expected = String(validating: bytes, as: UTF8.self) != nil
                    #expect(bytes.withUnsafeBufferPointer { UTF8Encoding.isValid($0) } == expected, "\(bytes)")
                }
            }
        }
    }
}
