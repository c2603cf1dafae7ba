/// Turns a card or bank merchant descriptor into the words that name the merchant, for features; the raw text is
/// kept elsewhere untouched.
///
/// Card descriptors carry noise that differs from one purchase to the next at the same merchant: case, store
/// numbers (`tesco pfs 3953`), reference codes (`AMZN Mktp UK*2A3BC4DE5`), payment-facilitator prefixes
/// (`SQ *`, `PAYPAL *`, `SUMUP *`), trailing country and region codes (`LONDON GB`, `SEATTLE WA US`) and
/// punctuation. Removing them lets one merchant's purchases share features. The acquirer is returned separately:
/// it is itself a weak signal (a market stall on SumUp) and should not be lost.
///
/// Non-goals: recognising every city in the world, or spelling merchants canonically (`SAINSBURYS S/MKTS` stays
/// `sainsburys s mkts`); the character n-grams absorb the rest.
public enum MerchantNormalizer {
    /// The normalised form of one descriptor.
    public struct Normalized: Hashable, Sendable {
        /// Lower-case words, single-spaced, without numbers, codes, prefixes or trailing locations.
        public var text: String
        /// The payment facilitator whose prefix was removed (`square`, `paypal`, ...), if any.
        public var acquirer: String?
    }

    /// Normalises `raw`; never empty when `raw` has a letter or digit in it.
    public static func normalize(_ raw: String) -> Normalized {
        let (bytes, acquirer) = normalizedBytes(raw)
        return Normalized(text: String(decoding: bytes, as: UTF8.self), acquirer: acquirer)
    }

    /// `normalize` as UTF-8 bytes, for feature extraction (which hashes bytes and would only convert a String back).
    static func normalizedBytes(_ raw: String) -> (bytes: [UInt8], acquirer: String?) {
        var bytes = Array(raw.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) {
            bytes = Array(raw.lowercased().utf8)
        } else {
            for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 { start += 1 }
        var acquirer: String?
        var replacement: [UInt8] = []
        for prefix in prefixes where hasPrefix(bytes, at: start, prefix.bytes) {
            acquirer = prefix.acquirer
            start += prefix.bytes.count
            replacement = prefix.replacement
            break
        }
        // Tokens are ranges into one buffer (`words`), not arrays of their own: an array per token was most of the
        // normaliser's cost in callgrind (allocation, and hashing a fresh array for every stop-word look-up).
        var words: [UInt8] = replacement
        words.reserveCapacity(bytes.count + replacement.count)
        var tokens: [Token] = replacement.isEmpty ? [] : [Token(start: 0, end: replacement.count, afterNumber: false)]
        var tokenStart = words.count
        var droppedNumber = false
        func flush() {
            let end = words.count
            guard end > tokenStart else { return }
            var digits = 0
            for k in tokenStart..<end where words[k] >= 0x30 && words[k] <= 0x39 { digits += 1 }
            if digits == end - tokenStart || digits >= 4 || isStopToken(words, tokenStart, end) {
                if digits == end - tokenStart || digits >= 4 { droppedNumber = true }
                words.removeSubrange(tokenStart..<end)
                return
            }
            tokens.append(Token(start: tokenStart, end: end, afterNumber: droppedNumber))
            droppedNumber = false
            tokenStart = end
        }
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if isWordByte(b) {
                words.append(b)
            } else if b == 0x27 || b == 0x60 {
                // An apostrophe joins (sainsbury's -> sainsburys).
            } else if b == 0x26, words.count > tokenStart, i + 1 < bytes.count, isWordByte(bytes[i + 1]) {
                words.append(b)  // b&q, m&s stay one word
            } else {
                flush()
            }
            i += 1
        }
        flush()
        stripTrailingLocation(&tokens, words)
        var out: [UInt8] = []
        out.reserveCapacity(words.count + tokens.count)
        for token in tokens {
            if !out.isEmpty { out.append(0x20) }
            out.append(contentsOf: words[token.start..<token.end])
        }
        if out.isEmpty {
            // Nothing but numbers or codes: keep them rather than return nothing.
            out = collapsed(bytes)
        }
        return (out, acquirer)
    }

    /// A word of the normalised text: `words[start..<end]`.
    private struct Token {
        var start: Int
        var end: Int
        /// A number or code was dropped just before this token (a store number before a town name).
        var afterNumber: Bool
        func bytes(_ words: [UInt8]) -> [UInt8] { Array(words[start..<end]) }
    }

    /// True for `www`, `com`, `http` and `https`, compared in place.
    private static func isStopToken(_ words: [UInt8], _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        guard n >= 3, n <= 5 else { return false }
        for stop in stopTokens where stop.count == n {
            var same = true
            for k in 0..<n where words[start + k] != stop[k] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    /// Drops trailing country and US/Canadian region codes, then a known town when it is clearly a location (after
    /// a removed code or store number), always leaving at least one word.
    private static func stripTrailingLocation(_ tokens: inout [Token], _ words: [UInt8]) {
        var strippedCode = false
        while tokens.count > 1, let last = tokens.last, last.end - last.start <= 3, countryCodes.contains(last.bytes(words)) {
            tokens.removeLast()
            strippedCode = true
        }
        if strippedCode, tokens.count > 1, let last = tokens.last, last.end - last.start == 2,
            regionCodes.contains(last.bytes(words))
        {
            tokens.removeLast()
        }
        // Two-word towns first (new york), then one-word ones; only looked up when a code or number was dropped.
        if tokens.count > 2, strippedCode || tokens[tokens.count - 2].afterNumber {
            let pair = tokens[tokens.count - 2].bytes(words) + [0x20] + tokens[tokens.count - 1].bytes(words)
            if towns.contains(pair) {
                tokens.removeLast(2)
                return
            }
        }
        if tokens.count > 1, let last = tokens.last, strippedCode || last.afterNumber, towns.contains(last.bytes(words)) {
            tokens.removeLast()
        }
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
    }

    private static func hasPrefix(_ bytes: [UInt8], at start: Int, _ prefix: [UInt8]) -> Bool {
        guard bytes.count - start >= prefix.count else { return false }
        for (offset, b) in prefix.enumerated() where bytes[start + offset] != b { return false }
        return true
    }

    private static func collapsed(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            if isWordByte(b) {
                out.append(b)
            } else if let last = out.last, last != 0x20 {
                out.append(0x20)
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return out
    }

    private struct Prefix {
        var bytes: [UInt8]
        var acquirer: String
        /// Words that stand for the merchant when the prefix is the merchant itself (Amazon Marketplace).
        var replacement: [UInt8]
        init(_ text: String, _ acquirer: String, replacement: String = "") {
            bytes = Array(text.utf8)
            self.acquirer = acquirer
            self.replacement = Array(replacement.utf8)
        }
    }

    /// Payment-facilitator prefixes as they appear on UK, US and EU card statements, longest first where one is
    /// the start of another.
    private static let prefixes: [Prefix] = [
        Prefix("sq *", "square"), Prefix("sq*", "square"), Prefix("sqr*", "square"),
        Prefix("paypal *", "paypal"), Prefix("paypal*", "paypal"), Prefix("pp*", "paypal"),
        Prefix("sumup *", "sumup"), Prefix("sumup*", "sumup"), Prefix("sumup  *", "sumup"),
        Prefix("izettle *", "zettle"), Prefix("izettle*", "zettle"), Prefix("iz *", "zettle"),
        Prefix("iz*", "zettle"), Prefix("zettle_*", "zettle"), Prefix("zettle *", "zettle"),
        Prefix("tst* ", "toast"), Prefix("tst*", "toast"), Prefix("sp * ", "shopify"), Prefix("sp *", "shopify"),
        Prefix("google *", "google"), Prefix("google*", "google"), Prefix("stripe *", "stripe"),
        Prefix("worldpay *", "worldpay"), Prefix("wp*", "worldpay"),
        Prefix("amzn mktp", "amazon", replacement: "amazon marketplace"),
        Prefix("amazon mktplace", "amazon", replacement: "amazon marketplace"),
        Prefix("amazon mktpl", "amazon", replacement: "amazon marketplace"),
        Prefix("amzn mktplace", "amazon", replacement: "amazon marketplace"),
        Prefix("amzn digital", "amazon", replacement: "amazon digital"),
    ]

    private static let stopTokens: [[UInt8]] = ["www", "com", "http", "https"].map { Array($0.utf8) }

    /// ISO 3166 alpha-2/alpha-3 codes that card networks append, limited to the common ones (a longer list would
    /// start eating real words such as `co` or `me`).
    private static let countryCodes: Set<[UInt8]> = Set(
        [
            "gb", "gbr", "uk", "us", "usa", "ie", "irl", "de", "deu", "fr", "fra", "nl", "nld", "es", "esp", "ita",
            "lu", "lux", "can", "au", "aus", "be", "bel", "ch", "che", "se", "swe", "dk", "dnk", "nor", "pl", "pol",
        ].map { Array($0.utf8) })

    /// US state and Canadian province codes (only stripped after a country code).
    private static let regionCodes: Set<[UInt8]> = Set(
        [
            "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la",
            "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok",
            "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "dc", "on", "qc", "bc",
            "ab",
        ].map { Array($0.utf8) })

    /// Towns stripped only when clearly a location suffix.
    private static let towns: Set<[UInt8]> = Set(
        [
            "london", "birmingham", "manchester", "leeds", "glasgow", "liverpool", "bristol", "sheffield", "edinburgh",
            "cardiff", "coventry", "leicester", "nottingham", "solihull", "wolverhampton", "dublin", "luxembourg",
            "seattle", "new york", "san francisco", "los angeles", "chicago", "paris", "berlin", "amsterdam",
            "sutton coldfield", "west bromwich", "dudley", "walsall",
        ].map { Array($0.utf8) })
}
