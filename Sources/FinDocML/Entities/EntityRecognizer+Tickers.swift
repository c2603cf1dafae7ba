import FinDocCore

extension EntityRecognizer.Context {
    /// Exchange names accepted before `:` (upper-cased for the comparison; `NYSE American` is handled apart).
    static let exchanges: Set<String> = [
        "NYSE", "NASDAQ", "AMEX", "TSX", "TSXV", "LSE", "OTC", "OTCQX", "OTCQB", "ASX", "NYSEARCA", "BATS", "CBOE",
        "XETRA", "EURONEXT", "HKEX", "SGX", "NSE", "BSE",
    ]

    /// 1–5 capital letters at `index`, with an optional `.X` class glued on; returns the symbol and its last token.
    func symbol(at index: Int) -> (String, Int)? {
        guard let t = token(index), t.kind == .word, (1...5).contains(t.text.count),
            t.text.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 })
        else { return nil }
        if let dot = token(index + 1), dot.text == ".", !dot.spaced, let cls = token(index + 2), cls.kind == .word,
            !cls.spaced, cls.text.count <= 2, cls.text.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }),
            freeOnRight(index + 2)
        {
            return (t.text + "." + cls.text, index + 2)
        }
        return freeOnRight(index) ? (t.text, index) : nil
    }

    /// A TICKER span starting at token `index`, if one does.
    func ticker(at index: Int) -> EntitySpan? {
        guard freeOnLeft(index), let first = token(index) else { return nil }
        if first.text == "$", let next = token(index + 1), !next.spaced, let (symbol, last) = symbol(at: index + 1) {
            return span(index, last, .ticker, normalized: symbol)
        }
        guard first.kind == .word, Self.exchanges.contains(first.text.uppercased()),
            first.text == first.text.uppercased() || first.text == "Nasdaq" || first.text == "Euronext"
        else { return nil }
        var exchange = first.text.uppercased()
        var colon = index + 1
        if exchange == "NYSE", let word = token(colon), word.kind == .word, word.text == "American" {
            exchange = "NYSE American"
            colon += 1
        }
        guard let c = token(colon), c.text == ":", let (symbol, last) = symbol(at: colon + 1) else { return nil }
        return span(index, last, .ticker, normalized: "\(exchange):\(symbol)")
    }
}
