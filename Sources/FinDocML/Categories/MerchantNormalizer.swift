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
        var tokens: [Token] = replacement.isEmpty ? [] : [Token(bytes: replacement, afterNumber: false)]
        var current: [UInt8] = []
        var droppedNumber = false
        func flush() {
            defer { current.removeAll(keepingCapacity: true) }
            guard !current.isEmpty else { return }
            var digits = 0
            for b in current where b >= 0x30 && b <= 0x39 { digits += 1 }
            if digits == current.count || digits >= 4 {
                droppedNumber = true
                return
            }
            if stopTokens.contains(current) { return }
            tokens.append(Token(bytes: current, afterNumber: droppedNumber))
            droppedNumber = false
        }
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if isWordByte(b) {
                current.append(b)
            } else if b == 0x27 || b == 0x60 {
                // An apostrophe joins (sainsbury's -> sainsburys).
            } else if b == 0x26, !current.isEmpty, i + 1 < bytes.count, isWordByte(bytes[i + 1]) {
                current.append(b)  // b&q, m&s stay one word
            } else {
                flush()
            }
            i += 1
        }
        flush()
        stripTrailingLocation(&tokens)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for token in tokens {
            if !out.isEmpty { out.append(0x20) }
            out += token.bytes
        }
        if out.isEmpty {
            // Nothing but numbers or codes: keep them rather than return nothing.
            out = collapsed(bytes)
        }
        return Normalized(text: String(decoding: out, as: UTF8.self), acquirer: acquirer)
    }

    private struct Token {
        var bytes: [UInt8]
        /// A number or code was dropped just before this token (a store number before a town name).
        var afterNumber: Bool
    }

    /// Drops trailing country and US/Canadian region codes, then a known town when it is clearly a location (after
    /// a removed code or store number), always leaving at least one word.
    private static func stripTrailingLocation(_ tokens: inout [Token]) {
        var strippedCode = false
        while tokens.count > 1, let last = tokens.last, countryCodes.contains(last.bytes) {
            tokens.removeLast()
            strippedCode = true
        }
        if strippedCode, tokens.count > 1, let last = tokens.last, last.bytes.count == 2, regionCodes.contains(last.bytes) {
            tokens.removeLast()
        }
        // Two-word towns first (new york), then one-word ones.
        if tokens.count > 2 {
            let pair = tokens[tokens.count - 2].bytes + [0x20] + tokens[tokens.count - 1].bytes
            if towns.contains(pair), strippedCode || tokens[tokens.count - 2].afterNumber {
                tokens.removeLast(2)
                return
            }
        }
        if tokens.count > 1, let last = tokens.last, towns.contains(last.bytes), strippedCode || last.afterNumber {
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

    private static let stopTokens: Set<[UInt8]> = Set(["www", "com", "http", "https"].map { Array($0.utf8) })

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
