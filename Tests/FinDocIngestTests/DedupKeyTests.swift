import FinDocCore
import Testing

@testable import FinDocIngest

/// Dedup keys against the format in `DedupKey`'s documentation, written out here with string interpolation.
@Suite struct DedupKeyTests {
    static func row(
        _ account: String, _ date: LocalDate, _ minor: Int64, _ description: String, payee: String? = nil,
        reference: String? = nil, bankID: String? = nil, status: BookingStatus = .booked
    ) -> Transaction {
        Transaction(
            account: account, bookingDate: date, amount: Money(minorUnits: minor, currency: CurrencyCode("EUR")!),
            description: description, payee: payee, reference: reference, bankId: bankID, status: status,
            location: SourceLocation(file: "f.csv", line: 1), position: 0)
    }

    @Test func contentKeysFollowTheDocumentedFormat() throws {
        let day = try #require(LocalDate(year: 2024, month: 2, day: 29))
        let rows = [
            Self.row("A", day, -3500, "  SHELL   Kings\t587 "),
            Self.row("A", day, -3500, "shell kings 587"),  // same normalised text: second occurrence
            Self.row("B", day, -3500, "shell kings 587"),  // another account: its own count
            Self.row("A", day, 0, "Zero"),
            Self.row("A", day, Int64.min, "min"),
            Self.row("A", day, Int64.max, "max", payee: "Payee\u{00A0}Name", reference: "REF 1"),
            Self.row("A", day, 12, "ÄRGER  Straße"),
        ]
        func expected(_ t: Transaction, _ text: String, _ n: Int) -> String {
            "c:\(t.bookingDate.iso)|\(String(t.amount.minorUnits))|EUR|\(text)|\(n)"
        }
        #expect(
            DedupKey.keys(for: rows) == [
                expected(rows[0], "shell kings 587", 1), expected(rows[1], "shell kings 587", 2),
                expected(rows[2], "shell kings 587", 1), expected(rows[3], "zero", 1),
                "c:2024-02-29|-9223372036854775808|EUR|min|1", expected(rows[5], "max payee name ref 1", 1),
                expected(rows[6], "ärger straße", 1),
            ])
    }

    @Test func bankIDKeysCountRepeatsAndKeepPendingApart() throws {
        let day = try #require(LocalDate(year: 2024, month: 1, day: 2))
        let rows = [
            Self.row("A", day, 100, "x", bankID: "T1"), Self.row("A", day, 100, "x", bankID: "T1"),
            Self.row("A", day, 100, "x", bankID: "T1", status: .pending), Self.row("B", day, 100, "x", bankID: "T1"),
        ]
        #expect(DedupKey.keys(for: rows) == ["b:T1", "b:T1#2", "bp:T1", "b:T1"])
    }
}
