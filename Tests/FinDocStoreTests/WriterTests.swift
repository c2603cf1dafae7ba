import FinDocStore
import Foundation
import Testing

@Suite struct WriterTests {
    func written(_ make: (TextOutput) -> RowSink, columns: [String], rows: [[Cell]]) throws -> String {
        let dir = try TemporaryDirectory()
        let output = try TextOutput.file(atPath: dir.file("out"))
        let sink = make(output)
        try sink.begin(columns: columns)
        for row in rows { try sink.row(row) }
        try sink.end()
        try output.finish()
        return try String(contentsOfFile: dir.file("out"), encoding: .utf8)
    }

    /// RFC 4180 §2: CRLF records, quotes around fields with comma/quote/line breaks, inner quotes doubled.
    @Test func csvFollowsRFC4180() throws {
        let text = try written(
            { CSVWriter(output: $0) }, columns: ["a", "b,c"],
            rows: [[.text("plain"), .text("has \"quote\"")], [.text("line\nbreak"), .null], [.decimal("-1.50"), .integer(7)]])
        #expect(text == "a,\"b,c\"\r\nplain,\"has \"\"quote\"\"\"\r\n\"line\nbreak\",\r\n-1.50,7\r\n")
    }

    @Test func jsonLinesKeepTypes() throws {
        let text = try written(
            { JSONLinesWriter(output: $0) }, columns: ["id", "amount", "raw", "none"],
            rows: [[.integer(1), .decimal("-0.10"), .json(#"{"k":"v"}"#), .null]])
        #expect(text == #"{"id":1,"amount":"-0.10","raw":{"k":"v"},"none":null}"# + "\n")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["amount"] as? String == "-0.10")
    }

    @Test func tableAlignsAndCuts() throws {
        let text = try written(
            { TableWriter(output: $0, maxCellWidth: 8) }, columns: ["id", "description"],
            rows: [[.integer(1), .text("short")], [.integer(12), .text("a very long description")]])
        #expect(text == "id  description\n--  -----------\n 1  short\n12  a very …\n(2 rows)\n")
    }
}
