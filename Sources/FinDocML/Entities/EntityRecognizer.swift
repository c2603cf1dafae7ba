import FinDocCore

/// Deterministic recognisers for MONEY, PERCENT, DATE and TICKER spans in a sentence, with normalised values.
///
/// Spans are half-open Unicode scalar offsets into the text (the unit of stored transcript sentences). What is
/// recognised (case matters where it says so):
///
/// - MONEY: a currency sign (`$ € £ ¥`, `US$ C$ A$ HK$`) or an ISO code (`EUR 13.1 million`) before a number, or a
///   currency word or code after it (`2.5 bn yen`, `13.1 million euros`, `100 CHF`), with an optional scale
///   (`thousand/k`, `million/mn/mln/m`, `billion/bn/bln/b`, `trillion/tn`; the one-letter ones only written against
///   the number, `€1.2m`). Normalised as `<amount> <CODE>` with the amount an exact decimal in major units.
/// - PERCENT: a number (signed when the sign is written against it) with `%`, `percent`, `per cent` or `pct`
///   (`12.5%`); `percentage point(s)` (`2pp`); `basis points`/`bps`/`bp` (`300bp`).
/// - DATE: `Q3 2022`/`3Q22`/`Q3 FY23` (`2022-Q3`, `FY2023-Q3`), `third quarter of 2022` (`2022-Q3`), a quarter
///   alone (`Q3`), `H1 2022`/`first half of 2022` (`2022-H1`), `fiscal 2023`/`fiscal year 2023`/`FY2023`/`FY23`
///   (`FY2023`), `May 12, 2025`/`12 May 2025` (`2025-05-12`), `May 2025` (`2025-05`), `2025-05-12`. Month names must
///   be capitalised (`may` is a verb); impossible dates are not dates.
/// - TICKER: an exchange (`NYSE`, `NASDAQ`/`Nasdaq`, `AMEX`, `NYSE American`, `TSX`, `LSE`, `OTC`…), a colon and a
///   symbol of 1–5 capitals with an optional `.X` class (`NASDAQ: AAPL` → `NASDAQ:AAPL`, `(NYSE: BRK.B)`); a cashtag
///   `$TSLA` → `TSLA`.
///
/// Overlapping candidates are resolved longest first (then earliest), so `US$5 million` is one span.
public enum EntityRecognizer {
    /// The model id stored for recogniser spans; bump it when the rules change so re-runs replace old spans.
    public static let modelID = "findoc-rules-1"

    /// Every MONEY, PERCENT, DATE and TICKER span of `text`, sorted by start, never overlapping.
    public static func recognize(_ text: String) -> [EntitySpan] {
        let scalars = Array(text.unicodeScalars)
        let tokens = EntityTextScanner.tokens(of: scalars)
        var candidates: [EntitySpan] = []
        let context = Context(tokens: tokens, scalars: scalars)
        for index in tokens.indices {
            candidates.append(contentsOf: [
                context.money(at: index), context.percent(at: index), context.date(at: index),
                context.ticker(at: index),
            ].compactMap { $0 })
        }
        return EntitySpanMerger.resolve(candidates)
    }

    /// The tokens of one sentence and helpers shared by the recognisers.
    struct Context {
        let tokens: [EntityToken]
        let scalars: [Unicode.Scalar]

        /// The token at `index`, nil past the end.
        func token(_ index: Int) -> EntityToken? { index >= 0 && index < tokens.count ? tokens[index] : nil }

        /// A rule span from token `first` through token `last`.
        func span(_ first: Int, _ last: Int, _ type: EntityType, normalized: String, amount: String? = nil,
                  currency: CurrencyCode? = nil) -> EntitySpan
        {
            let start = tokens[first].start
            let end = tokens[last].end
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<end])
            return EntitySpan(
                start: start, end: end, type: type, text: String(text), normalized: normalized, amount: amount,
                currency: currency, source: .rule)
        }

        /// Whether token `index` stands alone on its left: not glued to a letter or digit before it.
        func freeOnLeft(_ index: Int) -> Bool {
            guard let current = token(index) else { return false }
            guard let previous = token(index - 1), !current.spaced else { return true }
            return previous.kind == .symbol
        }

        /// Whether nothing letter- or digit-like is glued to the right of token `index`.
        func freeOnRight(_ index: Int) -> Bool {
            guard let next = token(index + 1) else { return true }
            return next.spaced || next.kind == .symbol
        }
    }

    /// `digits` (a plain decimal, no commas) times 10^`exponent` as a canonical decimal: no leading zeros, no
    /// trailing fractional zeros, no point when whole (`("84.3", 9)` → `84300000000`).
    static func scaledDecimal(_ digits: String, exponent: Int) -> String {
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var all = Array(whole + fraction)
        let point = whole.count + exponent
        if point > all.count { all += Array(repeating: "0", count: point - all.count) }
        var integer = String(all[0..<point]).drop { $0 == "0" }
        if integer.isEmpty { integer = "0" }
        var decimals = String(all[point...])
        while decimals.last == "0" { decimals.removeLast() }
        return decimals.isEmpty ? String(integer) : integer + "." + decimals
    }
}
