import Foundation
import FinDocCore

/// The call's facts found in a file's name and its first lines: company, ticker, fiscal quarter and year, date.
struct TranscriptMetadata: Sendable, Hashable {
    var company: String?
    var ticker: String?
    var quarter: Int?
    var year: Int?
    var date: LocalDate?

    /// What the header lines say, completed by the file name ("AAN_q3_2021.txt", "ADI_2020_Q3.txt",
    /// "Q3 2022 Dynex Capital Inc Earnings Call.txt"). The text wins where both speak.
    static func find(path: String, headerLines: [String]) -> TranscriptMetadata {
        var meta = TranscriptMetadata()
        let name = String(path.split(separator: "/").last ?? Substring(path))
        let stem = name.hasSuffix(".txt") || name.hasSuffix(".htm") ? String(name.dropLast(4)) : name
        // "Q3 2022 Dynex Capital Inc Earnings Call.txt": the file name is the title.
        if let (quarter, year, rest) = quarterTitle(in: stem) {
            meta.quarter = quarter
            meta.year = year
            meta.company = rest
        }
        // Header lines are short; speech lines that mention a date or a quarter are not the call's facts.
        for line in headerLines.prefix(60) {
            let text = TranscriptBuilder.clean(line)
            guard text.count <= 90 || text.hasPrefix("EVENT DATE") else { continue }
            if meta.date == nil { meta.date = date(in: text) }
            if meta.quarter == nil, let (quarter, year, rest) = quarterTitle(in: text) {
                meta.quarter = quarter
                meta.year = year
                // "ADI.OQ - Q3 2020 Analog Devices Inc Earnings Call" / "Alphabet Q2 2021 Earnings Call".
                if let company = rest, !company.isEmpty, company.first?.isUppercase == true { meta.company = company }
            }
            // "Palo Alto Networks, Inc. (PANW)"
            if meta.ticker == nil, text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
                let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
                if (1...6).contains(inner.count), inner.allSatisfy({ $0.isUppercase || $0 == "." }) {
                    meta.ticker = String(inner)
                    let company = TranscriptBuilder.clean(text[..<open])
                    if meta.company == nil, !company.isEmpty { meta.company = company }
                }
            }
            // "ADI.OQ - Q3 2020 ..."
            if meta.ticker == nil, let dash = text.range(of: " - ") {
                let head = text[..<dash.lowerBound]
                if head.contains("."), head.count <= 10, head.allSatisfy({ $0.isUppercase || $0 == "." }) {
                    meta.ticker = String(head.split(separator: ".").first ?? head)
                }
            }
        }
        // "Northwind Robotics (NWR)": the ticker in brackets after the name.
        if let company = meta.company, company.hasSuffix(")"), let open = company.lastIndex(of: "(") {
            let inner = company[company.index(after: open)..<company.index(before: company.endIndex)]
            if (1...6).contains(inner.count), inner.allSatisfy({ $0.isUppercase || $0 == "." }) {
                if meta.ticker == nil { meta.ticker = String(inner) }
                meta.company = TranscriptBuilder.clean(company[..<open])
            }
        }
        let parts = stem.split(separator: "_")
        if parts.count == 3, parts[0].allSatisfy({ $0.isUppercase || $0 == "." || $0.isNumber }) {
            // TICKER_qN_YYYY or TICKER_YYYY_QN
            let a = parts[1].lowercased()
            let b = parts[2].lowercased()
            var quarter: Int?
            var year: Int?
            if a.hasPrefix("q"), let q = Int(a.dropFirst()), let y = Int(b) { (quarter, year) = (q, y) }
            if b.hasPrefix("q"), let q = Int(b.dropFirst()), let y = Int(a) { (quarter, year) = (q, y) }
            if let quarter, let year, (1...4).contains(quarter) {
                if meta.ticker == nil { meta.ticker = String(parts[0]) }
                if meta.quarter == nil { meta.quarter = quarter }
                if meta.year == nil { meta.year = year }
            }
        }
        if meta.quarter == nil, let (quarter, year, rest) = quarterTitle(in: stem) {
            meta.quarter = quarter
            meta.year = year
            if meta.company == nil, let rest, !rest.isEmpty { meta.company = rest }
        }
        return meta
    }

    /// "Q3 2020 Analog Devices Inc Earnings Call" → (3, 2020, "Analog Devices Inc"); also "Alphabet Q2 2021
    /// Earnings Call" → (2, 2021, "Alphabet").
    static func quarterTitle(in text: String) -> (Int, Int, String?)? {
        guard text.contains("Earnings") || text.contains("EARNINGS") else { return nil }
        let words = text.split(separator: " ").map(String.init)
        for (i, word) in words.enumerated() where word.count == 2 && (word.hasPrefix("Q") || word.hasPrefix("q")) {
            guard let quarter = Int(word.dropFirst()), (1...4).contains(quarter), i + 1 < words.count,
                let year = Int(words[i + 1]), (1990...2100).contains(year)
            else { continue }
            let after = words[(i + 2)...].prefix { !$0.lowercased().hasPrefix("earnings") }
            var company = after.joined(separator: " ")
            if company.isEmpty {
                var before = Array(words[..<i])
                if let dash = before.lastIndex(of: "-") { before = Array(before[(dash + 1)...]) }
                company = before.joined(separator: " ")
            }
            return (quarter, year, company.isEmpty ? nil : company)
        }
        return nil
    }

    /// "July 27, 2021", "AUGUST 19, 2020 / 2:00PM", "24-Aug-2020", "November 3, 2021".
    static func date(in text: String) -> LocalDate? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }).map(String.init)
        for (i, word) in words.enumerated() {
            if let month = month(word), i + 2 < words.count, let day = Int(words[i + 1]), let year = Int(words[i + 2]),
                (1990...2100).contains(year), let date = LocalDate(year: year, month: month, day: day)
            {
                return date
            }
            let pieces = word.split(separator: "-")
            if pieces.count == 3, let day = Int(pieces[0]), let month = month(String(pieces[1])),
                let year = Int(pieces[2]), (1990...2100).contains(year),
                let date = LocalDate(year: year, month: month, day: day)
            {
                return date
            }
        }
        return nil
    }

    private static func month(_ word: String) -> Int? {
        let lower = word.lowercased()
        guard lower.count >= 3 else { return nil }
        let months = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        if let index = months.firstIndex(of: lower) { return index + 1 }
        if lower.count == 3, let index = months.firstIndex(where: { $0.hasPrefix(lower) }) { return index + 1 }
        return nil
    }
}
