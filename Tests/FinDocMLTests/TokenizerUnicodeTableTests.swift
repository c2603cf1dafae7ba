import Foundation
import Testing

@testable import FinDocML

/// Every Unicode code point, one at a time between two "a"s, gives the words the reference normaliser and
/// pre-tokeniser give (fixture unicode_scalars.tsv, made by Scripts/reference/make_tokenizer_fixture.py).
@Suite struct TokenizerUnicodeTableTests {
    /// What the reference does to one code point.
    enum Expected: Equatable {
        case kept, removed, whitespace, isolated
        case words([[UInt32]])
    }

    static func loadTable() throws -> [UInt32: Expected] {
        let text = try String(
            contentsOf: TokenizerTestSupport.fixtures.appendingPathComponent("unicode_scalars.tsv"), encoding: .ascii)
        var table: [UInt32: Expected] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw FixtureError.malformed(line: number + 1) }
            let bounds = fields[0].split(separator: "-").compactMap { UInt32($0, radix: 16) }
            if bounds.count == 2 {
                for value in bounds[0]...bounds[1] {
                    switch fields[1] {
                    case "R": table[value] = .removed
                    case "W": table[value] = .whitespace
                    case "P": table[value] = .isolated
                    case "H": table[value] = .words([[0x61] + hangulDecomposition(value) + [0x61]])
                    default: throw FixtureError.malformed(line: number + 1)
                    }
                }
            } else if bounds.count == 1 {
                let words = fields[1].split(separator: "|").map { $0.split(separator: " ").compactMap { UInt32($0, radix: 16) } }
                table[bounds[0]] = .words(words)
            } else {
                throw FixtureError.malformed(line: number + 1)
            }
        }
        return table
    }

    enum FixtureError: Error { case malformed(line: Int) }

    /// The canonical decomposition of a precomposed Hangul syllable, by the arithmetic of Unicode ch. 3.12.
    static func hangulDecomposition(_ value: UInt32) -> [UInt32] {
        let index = value - 0xAC00
        var parts: [UInt32] = [0x1100 + index / 588, 0x1161 + (index % 588) / 28]
        if index % 28 != 0 { parts.append(0x11A7 + index % 28) }
        return parts
    }

    @Test func everyCodePointIsTreatedAsTheReferenceTreatsIt() throws {
        let table = try Self.loadTable()
        #expect(table.count > 100_000)
        let basic = BasicTokenizer()
        var checked = 0
        var differing: [String] = []
        for value in UInt32(0)..<0x11_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var text = String.UnicodeScalarView()
            text.append("a")
            text.append(scalar)
            text.append("a")
            let words = basic.scalarWords(in: String(text))
            let expected: [[UInt32]]
            switch table[value] ?? .kept {
            case .kept: expected = [[0x61, value, 0x61]]
            case .removed: expected = [[0x61, 0x61]]
            case .whitespace: expected = [[0x61], [0x61]]
            case .isolated: expected = [[0x61], [value], [0x61]]
            case .words(let words): expected = words
            }
            checked += 1
            if words != expected {
                differing.append(String(value, radix: 16, uppercase: true))
            }
        }
        print("tokenizer Unicode table: \(checked - differing.count) of \(checked) code points as the reference")
        #expect(differing.isEmpty, "code points treated differently: \(differing.prefix(50))")
    }
}
