import FinDocCore
import Testing

@testable import FinDocIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MT940 parse throughput on a generated ~24 MB file of German- and Dutch-style statements; prints transactions per
/// second. Enabled with FINDOC_PERF=1 (numbers only mean something in a release build); a small version of the
/// same file always runs as a correctness check of the generator's balances.
@Suite struct MT940ThroughputTests {
    static let enabled = getenv("FINDOC_PERF") != nil

    /// `statements` statements of `perStatement` transactions each; balances add up.
    static func generated(statements: Int, perStatement: Int) -> [UInt8] {
        var text = ""
        text.reserveCapacity(statements * perStatement * 260)
        var balance = 100_000_00
        for s in 0..<statements {
            let day = String(s % 28 + 1).leftPadded(2)
            text += "{1:F01BANKDEFFXXXX0000000000}{2:O940BANKDEFFXXXXN}{4:\r\n:20:STARTUMS\(s)\r\n"
            text += ":25:DE89370400440532013000\r\n:28C:\(s + 1)/1\r\n"
            text += ":60F:\(Self.balance(balance, day: day))\r\n"
            for t in 0..<perStatement {
                let cents = (s * 7919 + t * 104_729) % 250_000 + 1
                let credit = t % 3 == 0
                balance += credit ? cents : -cents
                let amount = "\(cents / 100),\(String(cents % 100).leftPadded(2))"
                text += ":61:2405\(day)05\(day)\(credit ? "C" : "D")\(amount)NTRFNONREF//B\(s)X\(t)\r\n"
                if t % 2 == 0 {
                    text += ":86:166?00GUTSCHR. UEBERWEISUNG?109310?20EREF+E2E\(s)-\(t)?21SVWZ+Rechnung \(t) vom 1\r\n"
                    text += "2.05.2024?30COBADEFFXXX?31DE02120300000000202051?32Muster GmbH?33Abteilung\(t % 7)\r\n"
                } else {
                    text += ":86:/EREF/REF\(s)-\(t)//CNTP/NL91ABNA0417164300/ABNANL2A/J. Jansen/Utrecht///REMI/US\r\n"
                    text += "TD//Factuur \(t) mei/\r\n"
                }
            }
            text += ":62F:\(Self.balance(balance, day: day))\r\n-}\r\n"
        }
        return Array(text.utf8)
    }

    /// A balance field body: mark, date, currency, amount.
    static func balance(_ cents: Int, day: String) -> String {
        let m = cents.magnitude
        return "\(cents < 0 ? "D" : "C")2405\(day)EUR\(m / 100),\(String(m % 100).leftPadded(2))"
    }


    @Test("MT940 generated file: every transaction read")
    func smallGenerated() {
        let bytes = Self.generated(statements: 20, perStatement: 50)
        let d = MT940StatementIngestor().read(bytes, path: "gen.sta")
        #expect(d.transactions.count == 1000)
        #expect(d.statements.count == 20)
        #expect(d.diagnostics.isEmpty, "\(d.diagnostics.prefix(3))")
        #expect(d.transactions[0].payee == "Muster GmbH Abteilung0")
        #expect(d.transactions[1].payee == "J. Jansen")
        #expect(d.transactions[1].description == "Factuur 1 mei")
    }

    @Test("MT940 throughput", .enabled(if: enabled, "set FINDOC_PERF=1 to measure throughput"))
    func throughput() {
        let bytes = Self.generated(statements: 1000, perStatement: 100)
        var count = 0
        var best = Int.max
        for _ in 0..<3 {
            best = min(best, TestSupport.nanoseconds { count = MT940StatementIngestor().read(bytes, path: "big.sta").transactions.count })
        }
        let perSecond = count * 1_000_000_000 / best
        print("MT940 throughput: \(bytes.count / 1_000_000) MB, \(count) transactions in \(best / 1_000_000) ms = \(perSecond) transactions/s")
        #expect(count == 100_000)
    }
}

extension String {
    /// Left-pads with zeros to `width`.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
