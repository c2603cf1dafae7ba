import FinDocCore

extension EntityRecognizer.Context {
    /// Currency signs and the code each stands for (`$` is read as US dollars, the common case in US filings/calls).
    static let currencySigns: [String: String] = ["$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"]
    /// Letters written against `$` that name another dollar.
    static let dollarPrefixes: [String: String] = ["US": "USD", "C": "CAD", "A": "AUD", "HK": "HKD", "NZ": "NZD", "S": "SGD"]
    /// ISO codes recognised as currencies (other three-capital words, such as CEO, are not).
    static let isoCodes: Set<String> = [
        "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "SEK", "NOK", "DKK", "INR",
        "BRL", "MXN", "ZAR", "KRW", "PLN", "TRY",
    ]
    /// Currency words written after the amount (lower-case).
    static let currencyWords: [String: String] = [
        "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
        "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
    ]
    /// Scale words (lower-case) and their power of ten.
    static let scales: [String: Int] = [
        "thousand": 3, "million": 6, "mn": 6, "mln": 6, "mm": 6, "billion": 9, "bn": 9, "bln": 9, "trillion": 12,
        "tn": 12, "trn": 12,
    ]
    /// One-letter scales, accepted only when written against the number (`€1.2m`).
    static let letterScales: [String: Int] = ["k": 3, "m": 6, "b": 9]

    /// A MONEY span starting at token `index`, if one does.
    func money(at index: Int) -> EntitySpan? {
        guard freeOnLeft(index), let first = token(index) else { return nil }
        // Sign or code before the number.
        var code: String?
        var numberIndex = index
        if first.kind == .symbol, let sign = Self.currencySigns[first.text] {
            code = sign
            numberIndex = index + 1
        } else if first.kind == .word, let prefix = Self.dollarPrefixes[first.text], let dollar = token(index + 1),
            dollar.text == "$", !dollar.spaced
        {
            code = prefix
            numberIndex = index + 2
        } else if first.kind == .word, Self.isoCodes.contains(first.text), let next = token(index + 1), next.spaced,
            next.kind == .number
        {
            code = first.text
            numberIndex = index + 1
        }
        guard let number = token(numberIndex), number.kind == .number else { return nil }
        if numberIndex != index, let signToken = token(numberIndex - 1), signToken.kind == .symbol, number.spaced,
            signToken.end + 1 < number.start
        {
            return nil  // "$   5": too far apart to be one amount
        }
        var last = numberIndex
        var exponent = 0
        if let scale = token(numberIndex + 1), scale.kind == .word {
            if let power = Self.scales[scale.lower] {
                exponent = power
                last = numberIndex + 1
            } else if !scale.spaced, let power = Self.letterScales[scale.lower] {
                exponent = power
                last = numberIndex + 1
            }
        }
        if code == nil {
            // A currency word or code after the amount.
            guard let after = token(last + 1), after.kind == .word, after.spaced else { return nil }
            if let word = Self.currencyWords[after.lower] {
                code = word
            } else if Self.isoCodes.contains(after.text) {
                code = after.text
            } else {
                return nil
            }
            last += 1
        }
        guard freeOnRight(last), let code, let currency = CurrencyCode(code) else { return nil }
        let amount = EntityRecognizer.scaledDecimal(number.plainNumber, exponent: exponent)
        return span(index, last, .money, normalized: "\(amount) \(code)", amount: amount, currency: currency)
    }

    /// A PERCENT span starting at token `index`, if one does.
    func percent(at index: Int) -> EntitySpan? {
        guard freeOnLeft(index), let first = token(index) else { return nil }
        var sign = ""
        var numberIndex = index
        if first.kind == .symbol, first.text == "-" || first.text == "+" || first.text == "−",
            let next = token(index + 1), next.kind == .number, !next.spaced
        {
            sign = first.text == "+" ? "" : "-"
            numberIndex = index + 1
        }
        guard let number = token(numberIndex), number.kind == .number, let unit = token(numberIndex + 1) else {
            return nil
        }
        let value = sign + number.plainNumber
        if unit.text == "%" {
            guard freeOnRight(numberIndex + 1) else { return nil }
            return span(index, numberIndex + 1, .percent, normalized: value + "%")
        }
        guard unit.kind == .word, unit.spaced else { return nil }
        let second = token(numberIndex + 2)
        let secondWord = second.flatMap { $0.kind == .word && $0.spaced ? $0.lower : nil }
        switch unit.lower {
        case "percent", "pct":
            if secondWord == "points" || secondWord == "point" {
                return span(index, numberIndex + 2, .percent, normalized: value + "pp")
            }
            return freeOnRight(numberIndex + 1) ? span(index, numberIndex + 1, .percent, normalized: value + "%") : nil
        case "per" where secondWord == "cent":
            return span(index, numberIndex + 2, .percent, normalized: value + "%")
        case "percentage" where secondWord == "points" || secondWord == "point":
            return span(index, numberIndex + 2, .percent, normalized: value + "pp")
        case "basis" where secondWord == "points" || secondWord == "point":
            return span(index, numberIndex + 2, .percent, normalized: value + "bp")
        case "bps", "bp":
            return freeOnRight(numberIndex + 1) ? span(index, numberIndex + 1, .percent, normalized: value + "bp") : nil
        default:
            return nil
        }
    }
}
