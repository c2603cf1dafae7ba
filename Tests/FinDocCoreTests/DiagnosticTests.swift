import FinDocCore
import Testing

@Suite struct DiagnosticTests {
    @Test func rendersLocationAndCaret() {
        let diagnostic = Diagnostic(
            .error, code: "csv.amount", message: "expected a number in column \"Amount\", found \"abc\"",
            location: SourceLocation(file: "statement.csv", line: 14, column: 10), sourceLine: "03/01/17;abc;shell")
        #expect(
            diagnostic.description == """
                error[csv.amount]: expected a number in column "Amount", found "abc"
                  --> statement.csv:14:10
                   | 03/01/17;abc;shell
                   |          ^
                """)
    }

    @Test func xpathLocations() {
        #expect(SourceLocation(file: "a.xml", xpath: "/Document/BkToCstmrStmt").description == "a.xml (/Document/BkToCstmrStmt)")
        #expect(SourceLocation(file: "a.csv").description == "a.csv")
    }
}
