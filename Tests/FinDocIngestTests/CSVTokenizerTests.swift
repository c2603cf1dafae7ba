import Testing

@testable import FinDocIngest

@Suite struct CSVTokenizerTests {
    struct Record: Equatable {
        var line: Int
        var cells: [String]
        var unclosed = false
        var stray = false
    }

    func tokenize(_ text: String, delimiter: Character = ",") -> [Record] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            var tokenizer = CSVTokenizer(delimiter: delimiter.asciiValue ?? 0x2C)
            var fields: [CSVFieldRange] = []
            var out: [Record] = []
            while let info = tokenizer.next(p, fields: &fields) {
                out.append(
                    Record(
                        line: info.line, cells: fields.map { CSVTokenizer.value(of: $0, in: p) },
                        unclosed: info.unclosedQuote != nil, stray: info.strayText != nil))
            }
            return out
        }
    }

    @Test func quotesDoubledQuotesAndDelimitersInsideQuotes() {
        let records = tokenize("a,\"b,c\",\"say \"\"hi\"\"\",\"\"\n")
        #expect(records == [Record(line: 1, cells: ["a", "b,c", "say \"hi\"", ""])])
    }

    @Test func embeddedLineBreaksOfEveryKindKeepLineNumbers() {
        let records = tokenize("h1,h2\r\n\"x\r\ny\",1\r\n\"p\nq\rr\",2\rlast,3")
        #expect(
            records == [
                Record(line: 1, cells: ["h1", "h2"]),
                Record(line: 2, cells: ["x\r\ny", "1"]),
                Record(line: 4, cells: ["p\nq\rr", "2"]),
                Record(line: 7, cells: ["last", "3"]),
            ])
    }

    @Test func trailingNewlineOrNotAndEmptyLastField() {
        #expect(tokenize("a,b\n") == [Record(line: 1, cells: ["a", "b"])])
        #expect(tokenize("a,b") == [Record(line: 1, cells: ["a", "b"])])
        #expect(tokenize("a,\n") == [Record(line: 1, cells: ["a", ""])])
        #expect(tokenize("a,") == [Record(line: 1, cells: ["a", ""])])
        #expect(tokenize("\n\n") == [Record(line: 1, cells: [""]), Record(line: 2, cells: [""])])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() {
        #expect(tokenize("12\" pipe,3\n") == [Record(line: 1, cells: ["12\" pipe", "3"])])
    }

    @Test func textAfterClosingQuoteIsAppendedAndFlagged() {
        #expect(tokenize("\"abc\"def,2\n") == [Record(line: 1, cells: ["abcdef", "2"], stray: true)])
    }

    @Test func neverClosedQuoteResumesOnTheNextLine() {
        let records = tokenize("a,b\n1,\"broken\n2,x\n3,y")
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[1].unclosed)
        #expect(records[2] == Record(line: 3, cells: ["2", "x"]))
        #expect(records[3] == Record(line: 4, cells: ["3", "y"]))
    }

    @Test func restartConfinesQuotedFieldsToOneLine() {
        let bytes = Array("\"a\nb\",1\nnext,2\n".utf8)
        bytes.withUnsafeBufferPointer { p in
            var tokenizer = CSVTokenizer(delimiter: 0x2C)
            var fields: [CSVFieldRange] = []
            guard let first = tokenizer.next(p, fields: &fields) else {
                Issue.record("no record")
                return
            }
            #expect(first.spanningQuote == 0)
            #expect(first.endLine == 2)
            tokenizer.restart(afterFirstLineOf: first, in: p, noSpanUntil: first.end)
            let second = tokenizer.next(p, fields: &fields)
            #expect(second?.line == 2)
            #expect(fields.map { CSVTokenizer.value(of: $0, in: p) } == ["b\"", "1"])
            let third = tokenizer.next(p, fields: &fields)
            #expect(third?.line == 3)
        }
    }

    @Test func otherDelimiters() {
        #expect(tokenize("a;b;\"c;d\"\n", delimiter: ";") == [Record(line: 1, cells: ["a", "b", "c;d"])])
        #expect(tokenize("a\tb\n", delimiter: "\t") == [Record(line: 1, cells: ["a", "b"])])
        #expect(tokenize("a|b\n", delimiter: "|") == [Record(line: 1, cells: ["a", "b"])])
    }
}
