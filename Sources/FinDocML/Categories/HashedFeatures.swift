/// How items become sparse feature vectors: which n-grams, how many hash buckets, which extra signals.
///
/// Saved in every bundle, so a model is always fed the features it was trained on.
public struct FeatureSettings: Codable, Hashable, Sendable {
    /// log2 of the hash space; features are hashed into `1 << bucketBits` buckets.
    public var bucketBits: Int
    /// Word n-grams of length 1...wordNgrams over the normalised text (0: none).
    public var wordNgrams: Int
    /// Shortest character n-gram (0: none).
    public var charMin: Int
    /// Longest character n-gram.
    public var charMax: Int
    /// Run `MerchantNormalizer` over every text field first.
    public var normalize: Bool
    /// Add sign and magnitude-bucket features of the amount.
    public var amount: Bool
    /// Add the account identifier as one feature (a card usually belongs to one team with its own spending).
    public var account: Bool
    /// Also pair the account with each whole normalised text field (this team at this merchant).
    public var accountCross: Bool

    /// Creates settings. Defaults chosen on a validation split of the Birmingham training months (train Dec 2016 –
    /// Apr 2017, validate May – Jun 2017, merchant + amount + card): character 3–4-grams scored accuracy 0.707 /
    /// macro-F1 0.350, against 0.705 / 0.352 for 3–5 and 0.702 / 0.348 for 2–5, with half the features (so
    /// faster training and scoring).
    public init(
        bucketBits: Int = 22, wordNgrams: Int = 3, charMin: Int = 3, charMax: Int = 4, normalize: Bool = true,
        amount: Bool = true, account: Bool = true, accountCross: Bool = true
    ) {
        self.bucketBits = bucketBits
        self.wordNgrams = wordNgrams
        self.charMin = charMin
        self.charMax = charMax
        self.normalize = normalize
        self.amount = amount
        self.account = account
        self.accountCross = accountCross
    }

    enum CodingKeys: String, CodingKey {
        case bucketBits = "bucket_bits", wordNgrams = "word_ngrams", charMin = "char_min", charMax = "char_max"
        case normalize, amount, account, accountCross = "account_cross"
    }
}

/// A sparse feature vector: hash buckets and their values (L2-normalised, so long and short texts weigh alike).
public struct FeatureVector: Sendable, Equatable {
    /// Hash bucket of each feature, in extraction order (a bucket may repeat).
    public var buckets: [UInt32]
    /// The value of each feature.
    public var values: [Float]
    /// Readable names of the features, only when asked for (explanations).
    public var names: [String]?
}

/// Extracts hashed word n-grams, character n-grams and coarse amount features from items.
///
/// Hashing (FNV-1a then a 64-bit mixer, top bits kept) needs no vocabulary, so training is one pass and unseen
/// merchants still share character n-grams with seen ones. Deterministic across runs and machines: no
/// per-process random seed is involved (unlike Swift's `Hasher`).
public struct HashedFeatures: Sendable {
    /// The settings in force.
    public let settings: FeatureSettings

    /// Creates an extractor.
    public init(settings: FeatureSettings) {
        self.settings = settings
    }

    /// The features of `item`. With `names`, also the readable name of every feature (slower; for `--explain`).
    ///
    /// Per text field: the acquirer feature (when the normaliser removed a prefix), the account × text feature, then
    /// the word and character n-grams; after the fields, the two amount features and the account feature.
    /// `CategoryClassifier` scores the same features grouped differently (see `CategoryScoreCache`).
    public func extract(_ item: CategoryItem, names: Bool = false) -> FeatureVector {
        var buckets: [UInt32] = []
        buckets.reserveCapacity(128)
        var nameList: [String]? = names ? [] : nil
        let account = item.account.flatMap { $0.isEmpty ? nil : $0 }
        for field in item.fields where !field.value.isEmpty {
            let text = textFeatures(field.value, names: names)
            if let acquirer = text.acquirerBucket {
                buckets.append(acquirer)
                if names { nameList?.append(text.names[0]) }
            }
            if let account, let cross = crossBucket(account: account, text: text.bytes) {
                buckets.append(cross)
                if names { nameList?.append("account×text:\(account)|\(String(decoding: text.bytes, as: UTF8.self))") }
            }
            buckets.append(contentsOf: text.ngrams)
            if names { nameList?.append(contentsOf: text.names.dropFirst(text.acquirerBucket == nil ? 0 : 1)) }
        }
        if let (sign, magnitude) = amountBuckets(item) {
            buckets.append(sign)
            buckets.append(magnitude)
            if names, let minor = item.amountMinor {
                let (symbol, bucket) = Self.amountClass(minor, digits: item.currencyDigits)
                nameList?.append("amount:\(Character(Unicode.Scalar(symbol)))")
                nameList?.append("amount:\(Character(Unicode.Scalar(symbol)))2^\(bucket)")
            }
        }
        if let account, let bucket = accountBucket(account) {
            buckets.append(bucket)
            if names { nameList?.append("account:\(account)") }
        }
        let value: Float = buckets.isEmpty ? 0 : 1 / Float(buckets.count).squareRoot()
        return FeatureVector(
            buckets: buckets, values: [Float](repeating: value, count: buckets.count), names: nameList)
    }

    /// The bucket of a mixed hash.
    @inline(__always)
    func bucket(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: Self.mix(hash) >> shift) }

    /// The account × text feature of one field's normalised bytes, when the settings ask for it.
    func crossBucket(account: String, text: [UInt8]) -> UInt32? {
        guard settings.account, settings.accountCross else { return nil }
        // The hash of account + "|" + text, without building that array.
        return bucket(Self.fnv(text, from: Self.fnv(CollectionOfOne(0x7C), from: Self.fnv(account, seed: Self.seedAccountCross))))
    }

    /// The account feature, when the settings ask for it.
    func accountBucket(_ account: String) -> UInt32? {
        settings.account ? bucket(Self.fnv(account, seed: Self.seedAccount)) : nil
    }

    /// The amount's sign feature (`amt:-`) and sign-and-magnitude feature (`amt:-5`: 2^4 ≤ |major units| < 2^5),
    /// when the settings ask for them and the item has an amount. Hashed byte by byte, without formatting a string.
    func amountBuckets(_ item: CategoryItem) -> (sign: UInt32, magnitude: UInt32)? {
        guard settings.amount, let minor = item.amountMinor else { return nil }
        let (symbol, magnitude) = Self.amountClass(minor, digits: item.currencyDigits)
        let signHash = Self.fnv(CollectionOfOne(symbol), from: Self.fnv("amt:", seed: Self.seedAmount))
        var magnitudeHash = signHash
        if magnitude >= 10 { magnitudeHash = Self.fnv(CollectionOfOne(UInt8(0x30 + magnitude / 10)), from: magnitudeHash) }
        magnitudeHash = Self.fnv(CollectionOfOne(UInt8(0x30 + magnitude % 10)), from: magnitudeHash)
        return (bucket(signHash), bucket(magnitudeHash))
    }

    /// The sign character (`-`, `+` or `0`) and the bit length of the whole major units (0 for less than one).
    static func amountClass(_ minor: Int64, digits: Int) -> (sign: UInt8, bits: Int) {
        let sign: UInt8 = minor < 0 ? 0x2D : (minor > 0 ? 0x2B : 0x30)
        var major = minor.magnitude
        for _ in 0..<max(0, digits) { major /= 10 }
        return (sign, major == 0 ? 0 : 64 - major.leadingZeroBitCount)
    }

    /// Bits to shift a mixed 64-bit hash right by to land in the bucket space.
    var shift: UInt64 { UInt64(64 - max(1, min(settings.bucketBits, 31))) }

    /// One text's own features: its normalised bytes, the acquirer feature when a prefix was removed, then its word
    /// and character n-grams in extraction order.
    public struct TextFeatures: Sendable {
        /// The normalised text (or the raw text when normalisation is off), as UTF-8.
        var bytes: [UInt8]
        /// Bucket of the `acquirer:` feature, when the normaliser removed a payment-facilitator prefix.
        var acquirerBucket: UInt32?
        /// Buckets of the word n-grams, then the character n-grams.
        var ngrams: [UInt32]
        /// Readable names (acquirer first when present, then one per n-gram), only when asked for.
        var names: [String]
    }

    /// Computes `TextFeatures` for one field value.
    func textFeatures(_ value: String, names: Bool) -> TextFeatures {
        var out = TextFeatures(bytes: [], acquirerBucket: nil, ngrams: [], names: [])
        out.ngrams.reserveCapacity(2 * value.utf8.count * max(1, settings.charMax - settings.charMin + 1) + 8)
        func add(_ hash: UInt64, _ name: @autoclosure () -> String) {
            out.ngrams.append(bucket(hash))
            if names { out.names.append(name()) }
        }
        let bytes: [UInt8]
        if settings.normalize {
            let normalized = MerchantNormalizer.normalizedBytes(value)
            bytes = normalized.bytes
            if let acquirer = normalized.acquirer {
                out.acquirerBucket = bucket(Self.fnv(acquirer, seed: Self.seedAcquirer))
                if names { out.names.append("acquirer:\(acquirer)") }
            }
        } else {
            bytes = Array(value.utf8)
        }
        out.bytes = bytes
        if settings.wordNgrams > 0 {
            var wordHashes: [UInt64] = []
            var wordRanges: [Range<Int>] = []
            var start = -1
            for i in 0...bytes.count {
                let isSpace = i == bytes.count || bytes[i] == 0x20
                if isSpace {
                    if start >= 0 {
                        wordHashes.append(Self.fnv(bytes[start..<i], seed: Self.seedWord))
                        wordRanges.append(start..<i)
                        start = -1
                    }
                } else if start < 0 {
                    start = i
                }
            }
            for first in wordHashes.indices {
                var hash: UInt64 = 0
                for n in 1...settings.wordNgrams where first + n <= wordHashes.count {
                    hash = Self.mix(hash &* 0x100_0000_01B3 ^ wordHashes[first + n - 1]) &+ UInt64(n)
                    add(hash, "w:" + String(decoding: bytes[wordRanges[first].lowerBound..<wordRanges[first + n - 1].upperBound], as: UTF8.self))
                }
            }
        }
        if settings.charMin > 0, settings.charMax >= settings.charMin {
            // Padded with spaces so that word starts and ends are n-grams of their own (" tes", "sco ").
            var padded: [UInt8] = [0x20]
            padded.reserveCapacity(bytes.count + 2)
            padded.append(contentsOf: bytes)
            padded.append(0x20)
            padded.withUnsafeBufferPointer { p in
                for n in settings.charMin...settings.charMax where n <= p.count {
                    for s in 0...(p.count - n) {
                        add(Self.fnv(UnsafeBufferPointer(rebasing: p[s..<(s + n)]), seed: Self.seedChar), "c:" + String(decoding: p[s..<(s + n)], as: UTF8.self))
                    }
                }
            }
        }
        return out
    }

    static let seedWord: UInt64 = 0x77
    static let seedChar: UInt64 = 0x63
    static let seedAmount: UInt64 = 0x61
    static let seedAccount: UInt64 = 0x6B
    static let seedAcquirer: UInt64 = 0x71
    static let seedAccountCross: UInt64 = 0x78

    /// FNV-1a over `bytes`, started from a kind-specific offset so that a word and a character n-gram with the same
    /// bytes land in different buckets.
    static func fnv<C: Collection<UInt8>>(_ bytes: C, seed: UInt64) -> UInt64 {
        fnv(bytes, from: 0xCBF2_9CE4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    }

    /// FNV-1a over a string's UTF-8, read from its contiguous storage when it has one (a native string always does):
    /// iterating `String.UTF8View` costs several times as many instructions a byte.
    static func fnv(_ string: String, seed: UInt64) -> UInt64 {
        string.utf8.withContiguousStorageIfAvailable { fnv($0, seed: seed) } ?? fnv(string.utf8, seed: seed)
    }

    /// FNV-1a over `bytes` continued from `hash`: `fnv(b, from: fnv(a, seed:))` equals `fnv(a + b, seed:)`.
    @inline(__always)
    static func fnv<C: Collection<UInt8>>(_ bytes: C, from start: UInt64) -> UInt64 {
        var hash = start
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }

    /// SplitMix64's finaliser: spreads FNV's weak high bits.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
