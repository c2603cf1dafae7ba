import Foundation

/// BERT's "basic" tokenizer: the normaliser and pre-tokeniser that run before WordPiece, with the rules of the
/// reference (`tokenizers`' `BertNormalizer` + `BertPreTokenizer`, as configured for all-MiniLM-L6-v2).
///
/// In order, on Unicode scalars (code points, never grapheme clusters, as the reference does):
/// 1. clean text: drop U+0000, U+FFFD and "control" scalars (categories Cc, Cf, Co, Cs except `\t \n \r`; unassigned
///    code points are kept), and turn every White_Space scalar into a space; categories are those of the reference's
///    Unicode 8.0 tables (`referenceCategory`);
/// 2. put spaces around CJK ideographs (the ranges BERT lists);
/// 3. strip accents: canonical decomposition (NFD) then drop nonspacing marks (Mn); on when lower-casing unless
///    set otherwise;
/// 4. lower-case with the full, context-free Unicode mapping of each scalar (Unicode 16.0, as the reference);
/// 5. split on whitespace and isolate each punctuation scalar (ASCII 33–47, 58–64, 91–96, 123–126 and every P*).
///
/// Non-goals: the slow Python tokenizer's differences (its context-sensitive final sigma, its older Unicode tables).
public struct BasicTokenizer: Sendable {
    /// Lower-cases (step 4).
    public let lowercase: Bool
    /// Strips accents (step 3).
    public let stripAccents: Bool
    /// Cleans control scalars and whitespace (step 1).
    public let cleanText: Bool
    /// Isolates CJK ideographs (step 2).
    public let handleChineseCharacters: Bool
    /// What each ASCII byte becomes, precomputed from the options above.
    private let asciiKinds: [AsciiKind]

    /// Creates a basic tokenizer; the defaults are those of uncased BERT and all-MiniLM-L6-v2. `stripAccents` nil
    /// follows `lowercase`, as in the reference.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil, cleanText: Bool = true, handleChineseCharacters: Bool = true) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        var kinds: [AsciiKind] = []
        for value in 0..<128 {
            let scalar = Unicode.Scalar(UInt8(value))
            if cleanText && (value == 0 || BasicTokenizer.isControl(scalar)) {
                kinds.append(.removed)
            } else if BasicTokenizer.isWhitespace(scalar) {
                kinds.append(.space)
            } else if BasicTokenizer.isPunctuation(scalar) {
                kinds.append(.punctuation)
            } else if lowercase && value >= 65 && value <= 90 {
                kinds.append(.letter(UInt8(value + 32)))
            } else {
                kinds.append(.letter(UInt8(value)))
            }
        }
        asciiKinds = kinds
    }

    /// The words of `text` after normalisation, as strings (for inspection and tests; the tokenizer itself uses the
    /// allocation-free scan).
    public func words(in text: String) -> [String] {
        var sink = WordCollector()
        var scanner = NormalizingScanner()
        scan(text, specialTokens: [], scanner: &scanner, sink: &sink)
        return sink.words
    }

    /// The words of `text` after normalisation, as scalar values (no String is built per word).
    func scalarWords(in text: String) -> [[UInt32]] {
        var sink = ScalarWordCollector()
        var scanner = NormalizingScanner()
        scan(text, specialTokens: [], scanner: &scanner, sink: &sink)
        return sink.words
    }

    // MARK: - Character classes (public so other components agree with the tokenizer)

    /// A control scalar in the reference's sense: categories Cc, Cf, Co or Cs (by the reference's Unicode 8.0
    /// tables, see `referenceCategory`), except tab, newline and carriage return.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        default: break
        }
        switch referenceCategory(scalar) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// A nonspacing mark (Mn) by the reference's tables: these are what stripping accents removes after NFD.
    public static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        referenceCategory(scalar) == .nonspacingMark
    }

    /// The general category as the reference tokenizer sees it.
    ///
    /// The reference (`tokenizers`) classifies control, mark and punctuation scalars with tables of Unicode 8.0,
    /// while Swift knows a newer Unicode. Measured against the reference on every code point: a scalar assigned
    /// after 8.0 counts as unassigned there, and seven scalars changed category since 8.0.
    public static func referenceCategory(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
        switch scalar.value {
        case 0x166D, 0x111C9: return .otherPunctuation  // now So and Mn
        case 0x1734, 0x1171E: return .nonspacingMark  // now Mc
        case 0x1885, 0x1886: return .otherLetter  // now Mn
        case 0xA9BD: return .spacingMark  // now Mn
        default: break
        }
        guard isKnownToReferenceTables(scalar) else { return .unassigned }
        return scalar.properties.generalCategory
    }

    /// Whether `scalar` was assigned by Unicode 8.0, the version of the reference's category and normalisation
    /// tables: later scalars are neither controls, marks nor punctuation there, and do not decompose.
    @inline(__always)
    static func isKnownToReferenceTables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// The full lower-case mapping of `scalar` as the reference applies it (Rust's `char::to_lowercase`, Unicode
    /// 16.0): scalars assigned later (Unicode 17 added a few case pairs) stay as they are.
    static func lowercaseMapping(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        guard let age = scalar.properties.age, age.major <= 16 else { return [scalar] }
        return Array(scalar.properties.lowercaseMapping.unicodeScalars)
    }

    /// Whitespace: the Unicode White_Space property (tab, newline and carriage return included).
    @inline(__always)
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Punctuation as BERT splits it: every non-alphanumeric printable ASCII scalar, plus the Unicode P* categories.
    public static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
            return true
        }
        if value < 128 { return false }
        switch referenceCategory(scalar) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK ideograph in the ranges BERT isolates (CJK Unified Ideographs and extensions A–E, compatibility
    /// ideographs); kana and hangul are not among them. The extension E range starts at U+2B920, not U+2B820, exactly
    /// as in the reference (a typo there that every BERT tokenizer copies: 256 ideographs stay inside words).
    public static func isChineseCharacter(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value)
            || (0x2B920...0x2CEAF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0x2F800...0x2FA1F).contains(value)
    }
}

/// What one ASCII scalar turns into after steps 1–4, and how the pre-tokeniser treats it (a trivial value, so the
/// hot loop copies no references).
enum AsciiKind: Sendable {
    /// Dropped.
    case removed
    /// A word boundary.
    case space
    /// A scalar that is a word of its own.
    case punctuation
    /// One word scalar, already lower-cased.
    case letter(UInt8)
}

/// The outputs of one non-ASCII scalar after cleaning, CJK spacing, NFD, mark stripping and lower-casing.
struct ScalarExpansion: Sendable {
    /// Kept output scalars, in order.
    var scalars: [UInt32] = []
    /// Per output: 0 a word scalar, 1 whitespace, 2 punctuation (isolated).
    var classes: [UInt8] = []
    /// Per output: the canonical combining class of the decomposed scalar it came from (0 for starters).
    var combiningClasses: [UInt8] = []
    /// Whether the scalar was a CJK ideograph, so its outputs form a word of their own.
    var isolated = false
    /// Index of the first output after the decomposition's last starter (marks there cannot move before it), or
    /// nil when the decomposition holds no starter at all (a lone combining mark, which may move).
    var firstAfterLastStarter: Int?
}

/// Receives what the scanner finds, in text order.
protocol PreTokenSink {
    /// A word: its scalars (normalised) and, per scalar, the original scalar index it came from.
    mutating func word(scalars: UnsafeBufferPointer<UInt32>, sources: UnsafeBufferPointer<Int32>)
    /// A special token matched verbatim in the raw text, covering original scalars `sourceStart..<sourceEnd`.
    mutating func special(id: Int32, sourceStart: Int, sourceEnd: Int)
}

/// Reusable buffers for scanning, plus the cache of non-ASCII expansions (one per batch, so that nothing is
/// shared between threads).
struct NormalizingScanner {
    var scalars: [UInt32] = []
    var sources: [Int32] = []
    var combiningClasses: [UInt8] = []
    var runStart = 0
    var cache: [UInt32: ScalarExpansion] = [:]

    init() {
        scalars.reserveCapacity(128)
        sources.reserveCapacity(128)
        combiningClasses.reserveCapacity(128)
    }
}

/// A special token that is matched in the raw text before normalisation, as the reference's added vocabulary does.
struct SpecialTokenPattern: Sendable {
    let scalars: [UInt32]
    let id: Int32
}

extension BasicTokenizer {
    /// Scans `text`, feeding words and special tokens to `sink`.
    func scan<Sink: PreTokenSink>(
        _ text: String, specialTokens: [SpecialTokenPattern], scanner: inout NormalizingScanner, sink: inout Sink
    ) {
        // Indexing a String's scalars is slow; work on a contiguous UTF-32 copy only when special tokens need look-ahead.
        if specialTokens.isEmpty || !text.utf8.contains(0x5B) {
            var index: Int32 = 0
            for scalar in text.unicodeScalars {
                feed(scalar, source: index, scanner: &scanner, sink: &sink)
                index += 1
            }
        } else {
            let all = text.unicodeScalars.map(\.value)
            var index = 0
            outer: while index < all.count {
                if all[index] == 0x5B {
                    var best: SpecialTokenPattern?
                    for pattern in specialTokens where pattern.scalars.count <= all.count - index {
                        if (best?.scalars.count ?? 0) < pattern.scalars.count
                            && all[index..<index + pattern.scalars.count].elementsEqual(pattern.scalars)
                        {
                            best = pattern
                        }
                    }
                    if let best {
                        flush(&scanner, &sink)
                        sink.special(id: best.id, sourceStart: index, sourceEnd: index + best.scalars.count)
                        index += best.scalars.count
                        continue outer
                    }
                }
                if let scalar = Unicode.Scalar(all[index]) {
                    feed(scalar, source: Int32(truncatingIfNeeded: index), scanner: &scanner, sink: &sink)
                }
                index += 1
            }
        }
        flush(&scanner, &sink)
    }

    @inline(__always)
    private func feed<Sink: PreTokenSink>(
        _ scalar: Unicode.Scalar, source: Int32, scanner: inout NormalizingScanner, sink: inout Sink
    ) {
        let value = scalar.value
        if value < 128 {
            switch asciiKinds[Int(value)] {
            case .letter(let lowered):
                scanner.scalars.append(UInt32(lowered))
                scanner.sources.append(source)
                scanner.combiningClasses.append(0)
                scanner.runStart = scanner.scalars.count
            case .space:
                flush(&scanner, &sink)
            case .punctuation:
                flush(&scanner, &sink)
                emitSingle(value, source: source, scanner: &scanner, sink: &sink)
            case .removed:
                break
            }
            return
        }
        let expansion: ScalarExpansion
        if let cached = scanner.cache[value] {
            expansion = cached
        } else {
            expansion = expand(scalar)
            scanner.cache[value] = expansion
        }
        if expansion.isolated { flush(&scanner, &sink) }
        let base = scanner.scalars.count
        for (offset, output) in expansion.scalars.enumerated() {
            switch expansion.classes[offset] {
            case 1:
                flush(&scanner, &sink)
            case 2:
                flush(&scanner, &sink)
                emitSingle(output, source: source, scanner: &scanner, sink: &sink)
            default:
                let combining = expansion.combiningClasses[offset]
                var position = scanner.scalars.count
                scanner.scalars.append(output)
                scanner.sources.append(source)
                scanner.combiningClasses.append(combining)
                // Canonical ordering across scalars: a mark whose own decomposition has no starter moves before
                // preceding marks of a higher class, back to the last starter, as NFD does.
                if combining != 0 && expansion.firstAfterLastStarter == nil {
                    while position > scanner.runStart && scanner.combiningClasses[position - 1] > combining {
                        scanner.scalars.swapAt(position, position - 1)
                        scanner.sources.swapAt(position, position - 1)
                        scanner.combiningClasses.swapAt(position, position - 1)
                        position -= 1
                    }
                }
            }
        }
        // Whitespace and punctuation outputs flush (and reset the run) themselves; only plain words get here.
        if let first = expansion.firstAfterLastStarter, !scanner.scalars.isEmpty {
            scanner.runStart = min(scanner.scalars.count, base + first)
        }
        if expansion.isolated { flush(&scanner, &sink) }
    }

    @inline(__always)
    private func emitSingle<Sink: PreTokenSink>(
        _ value: UInt32, source: Int32, scanner: inout NormalizingScanner, sink: inout Sink
    ) {
        scanner.scalars.append(value)
        scanner.sources.append(source)
        scanner.combiningClasses.append(0)
        flush(&scanner, &sink)
    }

    @inline(__always)
    private func flush<Sink: PreTokenSink>(_ scanner: inout NormalizingScanner, _ sink: inout Sink) {
        scanner.runStart = 0
        if scanner.scalars.isEmpty { return }
        scanner.scalars.withUnsafeBufferPointer { scalars in
            scanner.sources.withUnsafeBufferPointer { sources in
                sink.word(scalars: scalars, sources: sources)
            }
        }
        scanner.scalars.removeAll(keepingCapacity: true)
        scanner.sources.removeAll(keepingCapacity: true)
        scanner.combiningClasses.removeAll(keepingCapacity: true)
    }

    /// Steps 1–4 for one non-ASCII scalar.
    func expand(_ scalar: Unicode.Scalar) -> ScalarExpansion {
        var result = ScalarExpansion()
        let value = scalar.value
        if cleanText {
            if value == 0xFFFD || BasicTokenizer.isControl(scalar) { return result }
            if BasicTokenizer.isWhitespace(scalar) {
                result.scalars = [0x20]
                result.classes = [1]
                result.combiningClasses = [0]
                result.firstAfterLastStarter = 1
                return result
            }
        }
        result.isolated = handleChineseCharacters && BasicTokenizer.isChineseCharacter(value)
        let decomposes = stripAccents && BasicTokenizer.isKnownToReferenceTables(scalar)
        let decomposed: [Unicode.Scalar] =
            decomposes ? Array(String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars) : [scalar]
        for part in decomposed {
            let combining =
                BasicTokenizer.isKnownToReferenceTables(part)
                ? UInt8(truncatingIfNeeded: part.properties.canonicalCombiningClass.rawValue) : 0
            let isStarter = combining == 0
            if !(stripAccents && BasicTokenizer.isNonspacingMark(part)) {
                let lowered: [Unicode.Scalar] = lowercase ? BasicTokenizer.lowercaseMapping(part) : [part]
                for (index, output) in lowered.enumerated() {
                    result.scalars.append(output.value)
                    result.classes.append(
                        BasicTokenizer.isWhitespace(output) ? 1 : BasicTokenizer.isPunctuation(output) ? 2 : 0)
                    result.combiningClasses.append(index == 0 ? combining : 0)
                }
            }
            if isStarter { result.firstAfterLastStarter = result.scalars.count }
        }
        return result
    }
}

/// Collects words as strings.
private struct WordCollector: PreTokenSink {
    var words: [String] = []

    mutating func word(scalars: UnsafeBufferPointer<UInt32>, sources: UnsafeBufferPointer<Int32>) {
        var text = String.UnicodeScalarView()
        for value in scalars {
            if let scalar = Unicode.Scalar(value) { text.append(scalar) }
        }
        words.append(String(text))
    }

    mutating func special(id: Int32, sourceStart: Int, sourceEnd: Int) {}
}

/// Collects words as scalar values.
private struct ScalarWordCollector: PreTokenSink {
    var words: [[UInt32]] = []

    mutating func word(scalars: UnsafeBufferPointer<UInt32>, sources: UnsafeBufferPointer<Int32>) {
        words.append(Array(scalars))
    }

    mutating func special(id: Int32, sourceStart: Int, sourceEnd: Int) {}
}
