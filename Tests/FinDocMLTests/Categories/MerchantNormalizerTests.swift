import Testing

@testable import FinDocML

/// Normalisation of real-looking card descriptors; expected values written by hand from the rules in the type's
/// documentation.
@Suite struct MerchantNormalizerTests {
    @Test(arguments: [
        ("SQ *BLUE BOTTLE COFFEE", "blue bottle coffee", "square"),
        ("PAYPAL *EBAY UK", "ebay", "paypal"),
        ("AMZN Mktp UK*2A3BC4DE5", "amazon marketplace", "amazon"),
        ("SUMUP *MARKET STALL 12", "market stall", "sumup"),
        ("TESCO PFS 3953", "tesco pfs", nil),
        ("tesco stores 3953 birmingham", "tesco stores", nil),
        ("STARBUCKS LONDON GB", "starbucks", nil),
        ("AMAZON.COM SEATTLE WA US", "amazon", nil),
        ("Sainsbury's S/MKTS", "sainsburys s mkts", nil),
        ("university of birmingham", "university of birmingham", nil),
        ("B&Q 1234", "b&q", nil),
        ("shell kings 587", "shell kings", nil),
        ("hmcourts-service.g", "hmcourts service g", nil),
        ("  Café  Nero #0421 ", "café nero", nil),
    ] as [(String, String, String?)])
    func normalises(raw: String, expected: String, acquirer: String?) {
        let normalized = MerchantNormalizer.normalize(raw)
        #expect(normalized.text == expected, "\(raw)")
        #expect(normalized.acquirer == acquirer, "\(raw)")
    }

    @Test func keepsNumbersWhenNothingElseIsLeft() {
        #expect(MerchantNormalizer.normalize("12345678").text == "12345678")
        #expect(MerchantNormalizer.normalize("").text == "")
    }

    @Test func neverStripsTheOnlyWord() {
        #expect(MerchantNormalizer.normalize("GB").text == "gb")
        #expect(MerchantNormalizer.normalize("london").text == "london")
    }
}
