import FinDocCore
import Testing

/// Finance prose cases for the sentence splitter; expected splits written by hand.
@Suite struct SentenceSplitterTests {
    func split(_ text: String) -> [String] { SentenceSplitter().split(text).map(\.text) }

    @Test(arguments: [
        ("Revenue was $84.3 billion. Margins rose 1.5%.", ["Revenue was $84.3 billion.", "Margins rose 1.5%."]),
        ("We grew in the U.S. and Europe. Thanks.", ["We grew in the U.S. and Europe.", "Thanks."]),
        ("We grew in the U.S. We also grew abroad.", ["We grew in the U.S.", "We also grew abroad."]),
        ("Acme Inc. is our partner. It grew.", ["Acme Inc. is our partner.", "It grew."]),
        ("We are No. 1 in the market. Really.", ["We are No. 1 in the market.", "Really."]),
        ("Sales were approx. 5 million. Good.", ["Sales were approx. 5 million.", "Good."]),
        ("That was Q3. In Q4 we expect more.", ["That was Q3.", "In Q4 we expect more."]),
        ("Visit investor.aarons.com for details. Thanks.", ["Visit investor.aarons.com for details.", "Thanks."]),
        ("Well... we think so. And then... The end.", ["Well... we think so.", "And then...", "The end."]),
        ("He said \"it works.\" Then he left.", ["He said \"it works.\"", "Then he left."]),
        ("(This is an aside.) Next point.", ["(This is an aside.)", "Next point."]),
        ("Growth was -- I think -- strong. Yes.", ["Growth was -- I think -- strong.", "Yes."]),
        ("Michael P. Dickerson spoke. Then Mr. Smith.", ["Michael P. Dickerson spoke.", "Then Mr. Smith."]),
        ("Is it good? Yes! Great.", ["Is it good?", "Yes!", "Great."]),
        ("First line\nSecond line.", ["First line", "Second line."]),
        ("1. Revenue grew. 2. Costs fell.", ["1. Revenue grew.", "2. Costs fell."]),
        ("Margins rose in 2020.Average deposits grew.", ["Margins rose in 2020.", "Average deposits grew."]),
        ("See investor.Aarons.com today.", ["See investor.Aarons.com today."]),
        ("Fuel costs fell. slide six, please.", ["Fuel costs fell.", "slide six, please."]),
        ("Costs fell approx. half. Sales rose vs. last year.", ["Costs fell approx. half.", "Sales rose vs. last year."]),
        ("Brands like Well Yes! and Chunky grew.", ["Brands like Well Yes! and Chunky grew."]),
    ])
    func splits(_ text: String, _ expected: [String]) {
        #expect(split(text) == expected)
    }

    @Test func offsetsCountUnicodeScalarsLikePython() {
        // "é" is one scalar, "😀" is one scalar (two UTF-16 units, four UTF-8 bytes).
        let text = "Café 😀 up. Next one."
        let sentences = SentenceSplitter().split(text)
        #expect(sentences.map(\.start) == [0, 11])
        #expect(sentences.map(\.end) == [10, 20])
        let scalars = Array(text.unicodeScalars)
        for sentence in sentences {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[sentence.start..<sentence.end])
            #expect(String(view) == sentence.text)
        }
    }

    @Test func emptyAndBlankTextHaveNoSentences() {
        #expect(split("").isEmpty)
        #expect(split("  \n \n").isEmpty)
    }
}
