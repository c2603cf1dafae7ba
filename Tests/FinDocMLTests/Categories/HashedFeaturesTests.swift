import Testing

@testable import FinDocML

@Suite struct HashedFeaturesTests {
    /// FNV-1a 64 test vectors from the algorithm's reference (seed 0 gives the standard offset basis).
    @Test func fnvMatchesReferenceVectors() {
        #expect(HashedFeatures.fnv([UInt8](), seed: 0) == 0xCBF2_9CE4_8422_2325)
        #expect(HashedFeatures.fnv(Array("a".utf8), seed: 0) == 0xAF63_DC4C_8601_EC8C)
        #expect(HashedFeatures.fnv(Array("foobar".utf8), seed: 0) == 0x8594_4171_F739_67E8)
    }

    @Test func sameItemSameBucketsAcrossExtractors() {
        let item = CategoryItem(fields: [CategoryTextField(name: "description", value: "TESCO PFS 3953")], amountMinor: -7261)
        let a = HashedFeatures(settings: FeatureSettings()).extract(item)
        let b = HashedFeatures(settings: FeatureSettings()).extract(item)
        #expect(a == b)
        #expect(a.buckets.allSatisfy { $0 < 1 << 22 })
    }

    @Test func featureCountsAndUnitNorm() {
        // "ab": one word unigram; padded " ab " has three 2-grams and two 3-grams.
        let settings = FeatureSettings(bucketBits: 20, wordNgrams: 1, charMin: 2, charMax: 3, normalize: true, amount: false, account: false)
        let vector = HashedFeatures(settings: settings).extract(
            CategoryItem(fields: [CategoryTextField(name: "d", value: "AB")]), names: true)
        #expect(vector.buckets.count == 6)
        #expect(vector.names == ["w:ab", "c: a", "c:ab", "c:b ", "c: ab", "c:ab "])
        let norm = vector.values.map { $0 * $0 }.reduce(0, +)
        #expect(abs(norm - 1) < 1e-6)
    }

    @Test func amountFeaturesUseSignAndMagnitude() {
        let settings = FeatureSettings(wordNgrams: 0, charMin: 0, amount: true, account: true)
        let extractor = HashedFeatures(settings: settings)
        // 72.61 pounds out: sign "-", 72 needs 7 bits.
        let vector = extractor.extract(CategoryItem(fields: [], amountMinor: -7261, account: "****5770"), names: true)
        #expect(vector.names == ["amount:-", "amount:-2^7", "account:****5770"])
    }

    /// Extraction hashes account + "|" + text and the acquirer by chaining FNV over the parts instead of building the
    /// concatenated arrays; the buckets must be those of the concatenation, computed here the direct way.
    @Test func chainedHashesEqualTheHashOfTheConcatenation() {
        let account = Array("****5770".utf8), text = Array("tesco pfs".utf8)
        #expect(
            HashedFeatures.fnv(text, from: HashedFeatures.fnv([0x7C], from: HashedFeatures.fnv(account, seed: 0x78)))
                == HashedFeatures.fnv(account + [0x7C] + text, seed: 0x78))
        let settings = FeatureSettings(bucketBits: 22)
        let vector = HashedFeatures(settings: settings).extract(
            CategoryItem(fields: [CategoryTextField(name: "d", value: "SQ *TESCO PFS 3953")], account: "****5770"),
            names: true)
        func bucket(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: HashedFeatures.mix(hash) >> 42) }
        let cross = bucket(HashedFeatures.fnv(account + [0x7C] + text, seed: HashedFeatures.seedAccountCross))
        let acquirer = bucket(HashedFeatures.fnv(Array("square".utf8), seed: HashedFeatures.seedAcquirer))
        #expect(vector.names?.first == "acquirer:square")
        #expect(vector.buckets.first == acquirer)
        #expect(vector.names?.dropFirst().first == "account×text:****5770|tesco pfs")
        #expect(vector.buckets.dropFirst().first == cross)
    }

    /// The amount features are hashed byte by byte; their buckets must be those of the formatted strings
    /// `amt:<sign>` and `amt:<sign><bits>`, computed here the direct way, for every magnitude class an Int64 amount
    /// can have.
    @Test func amountBucketsEqualTheHashOfTheFormattedString() {
        let extractor = HashedFeatures(settings: FeatureSettings(bucketBits: 22))
        func bucket(_ text: String) -> UInt32 {
            UInt32(truncatingIfNeeded: HashedFeatures.mix(HashedFeatures.fnv(Array(text.utf8), seed: HashedFeatures.seedAmount)) >> 42)
        }
        var amounts: [(Int64, String, Int)] = [(0, "0", 0), (99, "+", 0), (-99, "-", 0)]
        for bits in 1...57 {  // 2^56 major units are the most that fit in Int64 minor units
            let major = Int64(1) << (bits - 1)  // the smallest whole amount needing `bits` bits
            amounts.append((major * 100, "+", bits))
            amounts.append((-(major * 100 + 99), "-", bits))
        }
        amounts.append((Int64.max, "+", 57))  // 92,233,720,368,547,758 major units need 57 bits
        amounts.append((Int64.min, "-", 57))
        for (minor, sign, bits) in amounts {
            let item = CategoryItem(fields: [], amountMinor: minor, currencyDigits: 2)
            let got = extractor.amountBuckets(item)
            #expect(got?.sign == bucket("amt:\(sign)"), "\(minor)")
            #expect(got?.magnitude == bucket("amt:\(sign)\(bits)"), "\(minor)")
        }
    }
}
