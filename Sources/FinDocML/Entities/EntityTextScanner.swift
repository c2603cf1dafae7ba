/// The pieces of a sentence the deterministic recognisers match on: numbers, words and single symbols, each with
/// its Unicode scalar range and whether white space comes before it.
struct EntityToken: Sendable, Equatable {
    /// What a token is made of.
    enum Kind: Sendable, Equatable {
        /// Digits, with thousands commas (`1,200`) and one decimal point (`84.3`); the text keeps the commas.
        case number
        /// Letters only (`FY`, `billion`, `Q`).
        case word
        /// One other scalar (`$`, `%`, `:`, `(`).
        case symbol
    }

    let kind: Kind
    let start: Int
    let end: Int
    let text: String
    /// White space (or the start of the text) comes right before the token.
    let spaced: Bool

    /// The number's digits without thousands commas.
    var plainNumber: String { text.filter { $0 != "," } }
    /// Lower-cased text.
    var lower: String { text.lowercased() }
    /// Digits only, no comma or point.
    var isInteger: Bool { kind == .number && text.allSatisfy(\.isASCIIDigitCharacter) }
}

extension Character {
    /// 0-9 only (not other scripts' digits).
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// Splits text into `EntityToken`s over Unicode scalars.
enum EntityTextScanner {
    static func tokens(of scalars: [Unicode.Scalar]) -> [EntityToken] {
        var tokens: [EntityToken] = []
        var index = 0
        var spaced = true
        func isDigit(_ i: Int) -> Bool { i < scalars.count && scalars[i].value >= 48 && scalars[i].value <= 57 }
        func isLetter(_ i: Int) -> Bool { i < scalars.count && scalars[i].properties.isAlphabetic && !isDigit(i) }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                spaced = true
                index += 1
                continue
            }
            let start = index
            let kind: EntityToken.Kind
            if isDigit(index) {
                kind = .number
                var sawPoint = false
                index += 1
                while index < scalars.count {
                    if isDigit(index) {
                        index += 1
                    } else if scalars[index] == ",", isDigit(index + 1), isDigit(index + 2), isDigit(index + 3),
                        !isDigit(index + 4), !sawPoint
                    {
                        index += 4
                    } else if scalars[index] == ".", !sawPoint, isDigit(index + 1) {
                        sawPoint = true
                        index += 2
                    } else {
                        break
                    }
                }
            } else if isLetter(index) {
                kind = .word
                while isLetter(index) { index += 1 }
            } else {
                kind = .symbol
                index += 1
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<index])
            tokens.append(EntityToken(kind: kind, start: start, end: index, text: String(text), spaced: spaced))
            spaced = false
        }
        return tokens
    }
}
