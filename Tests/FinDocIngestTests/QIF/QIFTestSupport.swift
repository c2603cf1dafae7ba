import FinDocCore

@testable import FinDocIngest

/// Helpers for the QIF tests.
enum QIFTestSupport {
    /// The repository root: four levels up from Tests/FinDocIngestTests/QIF/QIFTestSupport.swift.
    static let repositoryRoot = TestSupport.repositoryRoot

    /// Fixtures copied into this repository.
    static let fixtures = repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/qif"
    /// The shared quiffen copy, present on the team's machines and CI.
    static let shared = repositoryRoot + "/../shared/data/statements_qif/quiffen/test_files"

    /// Reads QIF text given as a string.
    static func read(
        _ text: String, account: String? = nil, currency: String? = "GBP", order: DateOrder? = nil,
        path: String = "t.qif"
    ) -> StatementDocument {
        QIFStatementIngestor(account: account, defaultCurrency: currency.flatMap { CurrencyCode($0) }, dateOrder: order)
            .read(Array(text.utf8), path: path)
    }

    /// The diagnostics of one code.
    static func diagnostics(_ document: StatementDocument, _ code: String) -> [Diagnostic] {
        document.diagnostics.filter { $0.code == code }
    }

    /// Amounts in minor units.
    static func minor(_ document: StatementDocument) -> [Int64] {
        document.transactions.map(\.amount.minorUnits)
    }

    /// Independent truth for a QIF file: in Bank/CCard/Cash/Oth sections, the 1-based start lines of records that
    /// have a D line and end in `^`, and the sum of their T values in hundredths, by plain line splitting and
    /// integer arithmetic (no shared code with the ingestor).
    static func truth(_ bytes: [UInt8]) -> (starts: Set<Int>, cents: Int64) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            trimmed(String(decoding: $0, as: UTF8.self))
        }
        var inCash = false
        var start: Int?
        var hasDate = false
        var amount: Int64 = 0
        var starts: Set<Int> = []
        var cents: Int64 = 0
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("!") {
                let lower = line.lowercased()
                inCash = ["!type:bank", "!type:ccard", "!type:cash", "!type:oth a", "!type:oth l"].contains(lower)
                start = nil
                hasDate = false
                amount = 0
                continue
            }
            guard inCash, !line.isEmpty else { continue }
            if line == "^" {
                if let s = start, hasDate {
                    starts.insert(s)
                    cents += amount
                }
                start = nil
                hasDate = false
                amount = 0
                continue
            }
            if start == nil { start = index + 1 }
            if line.hasPrefix("D") { hasDate = true }
            if line.hasPrefix("T") { amount = hundredths(line.dropFirst()) }
        }
        return (starts, cents)
    }

    /// "-1,234.5" → -123450.
    static func hundredths(_ text: Substring) -> Int64 {
        var negative = false
        var value: Int64 = 0
        var fraction = -1
        for character in text {
            switch character {
            case "-": negative = true
            case ".": fraction = 0
            case "0"..."9":
                guard fraction < 2, let digit = character.wholeNumberValue else { continue }
                value = value * 10 + Int64(digit)
                if fraction >= 0 { fraction += 1 }
            default: continue
            }
        }
        for _ in 0..<(2 - max(fraction, 0)) { value *= 10 }
        return negative ? -value : value
    }

    /// The string without spaces, tabs and CR at either end.
    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
