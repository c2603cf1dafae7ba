import FinDocCore

extension EntityRecognizer.Context {
    /// Month names and abbreviations (capitalised as written) and their numbers.
    static let months: [String: Int] = [
        "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
        "September": 9, "October": 10, "November": 11, "December": 12, "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4,
        "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
    ]
    /// Ordinal words of quarters and halves.
    static let ordinals: [String: Int] = ["first": 1, "second": 2, "third": 3, "fourth": 4]

    /// A year written after a quarter or half, or alone after `fiscal`/`FY`: its normalised form, whether it is a
    /// fiscal year, and the last token it uses.
    struct YearPhrase {
        let year: Int
        let fiscal: Bool
        let last: Int
    }

    /// A 4-digit year 1900–2099 at `index`.
    func fullYear(at index: Int) -> Int? {
        guard let t = token(index), t.isInteger, t.text.count == 4, let value = Int(t.text), (1900...2099).contains(value)
        else { return nil }
        return value
    }

    /// `2022`, `'22`, `fiscal 2022`, `fiscal year 2022`, `fiscal '22`, `FY2022`, `FY 2022`, `FY22`, starting at `index`.
    func yearPhrase(at index: Int) -> YearPhrase? {
        guard let first = token(index) else { return nil }
        if let year = fullYear(at: index), freeOnRight(index) { return YearPhrase(year: year, fiscal: false, last: index) }
        if first.text == "'" || first.text == "’", let t = token(index + 1), t.isInteger, t.text.count == 2, !t.spaced,
            let value = Int(t.text), freeOnRight(index + 1)
        {
            return YearPhrase(year: 2000 + value, fiscal: false, last: index + 1)
        }
        if first.kind == .word, first.lower == "fiscal" {
            var next = index + 1
            if let word = token(next), word.kind == .word, word.lower == "year" { next += 1 }
            if let year = fullYear(at: next), freeOnRight(next) { return YearPhrase(year: year, fiscal: true, last: next) }
            if let short = yearPhrase(at: next), !short.fiscal, short.last == next + 1 {
                return YearPhrase(year: short.year, fiscal: true, last: short.last)  // fiscal '22
            }
            return nil
        }
        if first.kind == .word, first.text == "FY" || first.text == "Fy", let t = token(index + 1), t.isInteger,
            freeOnRight(index + 1)
        {
            if t.text.count == 4, let year = fullYear(at: index + 1) { return YearPhrase(year: year, fiscal: true, last: index + 1) }
            if t.text.count == 2, !t.spaced, let value = Int(t.text) {
                return YearPhrase(year: 2000 + value, fiscal: true, last: index + 1)
            }
        }
        return nil
    }

    /// A DATE span starting at token `index`, if one does.
    func date(at index: Int) -> EntitySpan? {
        guard freeOnLeft(index), let first = token(index) else { return nil }
        // Q3, Q3 2022, Q3 FY23, H1 2022.
        if first.kind == .word, first.text == "Q" || first.text == "H", let n = token(index + 1), n.isInteger, !n.spaced,
            let value = Int(n.text), (1...(first.text == "Q" ? 4 : 2)).contains(value), freeOnRight(index + 1)
        {
            return period(first.text, value, from: index, yearAt: index + 2)
        }
        // 3Q22, 3Q 2022.
        if first.isInteger, let n = Int(first.text), (1...4).contains(n), let q = token(index + 1), q.text == "Q",
            !q.spaced, let y = token(index + 2), y.isInteger, freeOnRight(index + 2)
        {
            if !y.spaced, y.text.count == 2, let value = Int(y.text) {
                return span(index, index + 2, .date, normalized: "\(2000 + value)-Q\(n)")
            }
            if y.spaced, let year = fullYear(at: index + 2) { return span(index, index + 2, .date, normalized: "\(year)-Q\(n)") }
            return nil
        }
        // third quarter (of) (fiscal) 2022; first half of 2022.
        if first.kind == .word, let n = Self.ordinals[first.lower], let unit = token(index + 1), unit.kind == .word {
            let letter: String
            switch unit.lower {
            case "quarter": letter = "Q"
            case "half" where n <= 2: letter = "H"
            default: return nil
            }
            var yearIndex = index + 2
            if let of = token(yearIndex), of.kind == .word, of.lower == "of", yearPhrase(at: yearIndex + 1) != nil {
                yearIndex += 1
            }
            return period(letter, n, from: index, unitAt: index + 1, yearAt: yearIndex)
        }
        // fiscal 2023, FY2023, FY23.
        if let phrase = yearPhrase(at: index), phrase.fiscal {
            return span(index, phrase.last, .date, normalized: "FY\(phrase.year)")
        }
        // 2025-05-12.
        if let year = fullYear(at: index), let d1 = token(index + 1), d1.text == "-", !d1.spaced,
            let m = token(index + 2), m.isInteger, m.text.count == 2, !m.spaced, let d2 = token(index + 3), d2.text == "-",
            !d2.spaced, let d = token(index + 4), d.isInteger, d.text.count == 2, !d.spaced, freeOnRight(index + 4),
            let month = Int(m.text), let day = Int(d.text), let date = LocalDate(year: year, month: month, day: day)
        {
            return span(index, index + 4, .date, normalized: date.iso)
        }
        // May 12, 2025; May 12 2025; May 2025; Sept. 5, 2025.
        if first.kind == .word, let month = Self.months[first.text] {
            var next = index + 1
            if let dot = token(next), dot.text == ".", !dot.spaced, first.text.count <= 4 { next += 1 }
            if let dayToken = token(next), dayToken.isInteger, dayToken.text.count <= 2, let day = Int(dayToken.text),
                freeOnRight(next)
            {
                var yearIndex = next + 1
                if let comma = token(yearIndex), comma.text == ",", !comma.spaced { yearIndex += 1 }
                if let year = fullYear(at: yearIndex), freeOnRight(yearIndex) {
                    guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
                    return span(index, yearIndex, .date, normalized: date.iso)
                }
                guard (1...LocalDate.daysIn(month: month, year: 2000)).contains(day) else { return nil }
                return span(index, next, .date, normalized: "--" + twoDigits(month) + "-" + twoDigits(day))
            }
            if let year = fullYear(at: next), freeOnRight(next) {
                return span(index, next, .date, normalized: "\(year)-" + twoDigits(month))
            }
            return nil
        }
        // 12 May 2025.
        if first.isInteger, first.text.count <= 2, let day = Int(first.text), let m = token(index + 1), m.kind == .word,
            let month = Self.months[m.text], let year = fullYear(at: index + 2), freeOnRight(index + 2)
        {
            guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
            return span(index, index + 2, .date, normalized: date.iso)
        }
        return nil
    }

    /// A quarter or half (`letter` Q or H, number `n`) from token `index` through its unit, then an optional year
    /// phrase at `yearAt`.
    private func period(_ letter: String, _ n: Int, from index: Int, unitAt: Int? = nil, yearAt: Int) -> EntitySpan {
        let unitEnd = unitAt ?? index + 1
        if let phrase = yearPhrase(at: yearAt), let yearToken = token(yearAt), yearToken.spaced || yearToken.text == "'" {
            let year = phrase.fiscal ? "FY\(phrase.year)" : "\(phrase.year)"
            return span(index, phrase.last, .date, normalized: "\(year)-\(letter)\(n)")
        }
        return span(index, unitEnd, .date, normalized: "\(letter)\(n)")
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
