/// Splits finance prose into sentences, with offsets in Unicode scalars.
///
/// Rules-first, because the cases that matter in earnings calls are few and known: a full stop ends a sentence only
/// when white space follows it and the next word does not continue the sentence. So "$84.3 billion", "12.5%",
/// "investor.aarons.com" and "U.S.-based" never split (no space after the dot); "Mr. Smith", "No. 1", "approx. 5",
/// "Michael P. Dickerson" and "e.g. the" never split (an abbreviation or an initial before the dot); "in the U.S. We"
/// and "Acme Inc. The" do split (the next word is a usual sentence opener); a lower-case next word never starts a
/// sentence. A line break always ends one (transcripts keep paragraphs on their own lines). Closing quotes and
/// brackets stay with the sentence they close.
///
/// Non-goals: sentences inside quotations are not split out; a full stop followed by an upper-case proper noun after
/// an unknown abbreviation splits.
public struct SentenceSplitter: Sendable {
    /// Creates a splitter.
    public init() {}

    /// The sentences of `text`, in order, trimmed of surrounding white space, with scalar offsets into `text`.
    public func split(_ text: String) -> [Sentence] {
        let scalars = Array(text.unicodeScalars)
        var ranges: [Range<Int>] = []
        var start = 0
        var i = 0
        let n = scalars.count
        func close(_ end: Int) {
            var a = start
            var b = end
            while a < b, Self.isSpace(scalars[a]) { a += 1 }
            while b > a, Self.isSpace(scalars[b - 1]) { b -= 1 }
            if a < b { ranges.append(a..<b) }
            start = end
        }
        while i < n {
            let c = scalars[i]
            if c == "\n" || c == "\r" || c == "\u{2029}" {
                close(i)
                i += 1
                start = i
                continue
            }
            guard Self.terminators.contains(c) else {
                i += 1
                continue
            }
            var j = i
            while j < n, Self.terminators.contains(scalars[j]) { j += 1 }
            while j < n, Self.closers.contains(scalars[j]) { j += 1 }
            if j < n, !Self.isSpace(scalars[j]) {
                // "questions.In the first quarter": a missing space after a full stop that ends a plain word, before
                // a capitalised word. URLs and "U.S.-based" keep a lower-case letter or a dot on one side.
                if j == i + 1, scalars[i] == ".", missingSpaceBoundary(scalars, at: i, sentenceStart: start) {
                    close(j)
                }
                i = j
                continue
            }
            if isBoundary(scalars, terminatorAt: i, runEnd: j, sentenceStart: start) {
                close(j)
            }
            i = j
        }
        close(n)
        var sentences: [Sentence] = []
        sentences.reserveCapacity(ranges.count)
        for (index, range) in ranges.enumerated() {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            sentences.append(Sentence(index: index, start: range.lowerBound, end: range.upperBound, text: String(view)))
        }
        return sentences
    }

    /// Whether the terminator run `i..<runEnd` (followed by white space or the end) ends a sentence.
    private func isBoundary(_ s: [Unicode.Scalar], terminatorAt i: Int, runEnd: Int, sentenceStart: Int) -> Bool {
        var k = runEnd
        while k < s.count, s[k] == " " || s[k] == "\t" || s[k] == "\u{A0}" { k += 1 }
        guard k < s.count else { return true }
        let next = s[k]
        if next == "\n" || next == "\r" { return true }
        // A lower-case word usually continues the sentence ("approx. half", "U.S. and"), except after a plain word
        // and a full stop: transcripts drop words ("... fuel. slide six, please.") and the next sentence then starts
        // in lower case.
        if next.properties.isLowercase {
            return i + 1 == runEnd && s[i] == "." && plainWordBefore(s, at: i, sentenceStart: sentenceStart)
        }
        if next == "," || next == ";" || next == ":" || next == "-" || next == "–" || next == "—" || next == ")" {
            return false
        }
        let nextWord = word(s, from: k)
        let run = s[i..<runEnd].filter { Self.terminators.contains($0) }
        let isFullStop = run.count == 1 && run[0] == "."
        let isEllipsis = run.count >= 3 || run.contains("…")
        if isEllipsis {
            // Speakers trail off mid-sentence: split only before a usual sentence opener.
            return Self.openers.contains(nextWord)
        }
        guard isFullStop else { return true }
        // The word before the full stop.
        var a = i
        while a > sentenceStart, !Self.isSpace(s[a - 1]), !Self.openingMarks.contains(s[a - 1]) { a -= 1 }
        var token = String.UnicodeScalarView()
        token.append(contentsOf: s[a..<i])
        let word = String(token)
        let lower = word.lowercased()
        if Self.neverFinal.contains(lower) { return false }
        if lower == "no" || lower == "nos" || lower == "fig" || lower == "vol" {
            return !(next.properties.numericType != nil || next == "#")
        }
        // An initial ("Michael P. Dickerson"): one capital letter.
        if token.count == 1, let only = token.first, only.properties.isUppercase { return false }
        // "1." opening a list item.
        if a == firstNonSpace(s, from: sentenceStart), !word.isEmpty, word.unicodeScalars.allSatisfy({
            $0.properties.numericType != nil
        }) {
            return false
        }
        // Abbreviations that may also end a sentence ("U.S.", "Inc.", "a.m."): split only before an opener.
        let dotted = word.contains(".") && word.count <= 6 && !word.contains("..")
            && word.allSatisfy { $0.isLetter || $0 == "." }
        if Self.mayBeFinal.contains(lower) || dotted {
            return Self.openers.contains(nextWord)
        }
        return true
    }

    /// Whether the token before the full stop at `i` is an ordinary word of three or more letters (not an
    /// abbreviation, an initial or a number).
    private func plainWordBefore(_ s: [Unicode.Scalar], at i: Int, sentenceStart: Int) -> Bool {
        var a = i
        while a > sentenceStart, s[a - 1].properties.isAlphabetic { a -= 1 }
        guard i - a >= 3, a == sentenceStart || Self.isSpace(s[a - 1]) || Self.openingMarks.contains(s[a - 1]) else {
            return false
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[a..<i])
        let lower = String(view).lowercased()
        return !Self.neverFinal.contains(lower) && !Self.mayBeFinal.contains(lower)
    }

    /// "year.We" / "2020.Average": a full stop glued to a capitalised word (upper then lower case) after a plain
    /// word or a number, with no other dot in the token (so not a URL or a domain).
    private func missingSpaceBoundary(_ s: [Unicode.Scalar], at i: Int, sentenceStart: Int) -> Bool {
        guard i + 2 < s.count, i > sentenceStart, s[i + 1].properties.isUppercase, s[i + 2].properties.isLowercase,
            s[i - 1].properties.isLowercase || s[i - 1].properties.numericType != nil || s[i - 1] == "%"
        else { return false }
        var a = i
        while a > sentenceStart, !Self.isSpace(s[a - 1]) {
            if s[a - 1] == "." || s[a - 1] == "/" || s[a - 1] == "@" { return false }
            a -= 1
        }
        var b = i + 1
        while b < s.count, !Self.isSpace(s[b]) {
            if s[b] == "." && b + 1 < s.count && !Self.isSpace(s[b + 1]) || s[b] == "/" || s[b] == "@" { return false }
            b += 1
        }
        return i - a >= 2
    }

    private func firstNonSpace(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var a = start
        while a < s.count, Self.isSpace(s[a]) { a += 1 }
        return a
    }

    /// The letters of the word starting at `k` (after any opening quote or bracket).
    private func word(_ s: [Unicode.Scalar], from k: Int) -> String {
        var a = k
        while a < s.count, Self.openingMarks.contains(s[a]) { a += 1 }
        var b = a
        while b < s.count, s[b].properties.isAlphabetic || s[b] == "'" || s[b] == "’" { b += 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[a..<b])
        return String(view)
    }

    /// White space, with an ASCII fast path: Unicode property look-ups dominated profiles of transcript ingest.
    @inline(__always)
    public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D) }
        return c.properties.isWhitespace
    }

    static let terminators: Set<Unicode.Scalar> = [".", "?", "!", "…"]
    static let closers: Set<Unicode.Scalar> = ["\"", "'", "”", "’", ")", "]", "»"]
    static let openingMarks: Set<Unicode.Scalar> = ["\"", "'", "“", "‘", "(", "[", "«"]

    /// Abbreviations (lower case, without the final dot) after which a sentence never ends.
    static let neverFinal: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "approx", "e.g", "i.e", "cf", "etc.,", "gov", "sen", "rep",
        "gen", "col", "lt", "messrs", "mt", "ft", "est", "dept", "univ", "appr", "incl", "excl", "op", "mgmt",
    ]
    /// Abbreviations that can end a sentence as well as sit inside one.
    static let mayBeFinal: Set<String> = [
        "inc", "corp", "co", "ltd", "llc", "plc", "bros", "jr", "sr", "etc", "u.s", "u.k", "a.m", "p.m", "n.a",
        "s.a", "l.p", "ag", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    /// Words that usually open a sentence; after an ambiguous abbreviation they decide a split.
    static let openers: Set<String> = [
        "A", "After", "Again", "All", "Also", "An", "And", "Any", "Are", "As", "At", "Because", "Before", "Both", "But",
        "By", "Can", "Could", "Do", "Does", "During", "Each", "Even", "First", "For", "From", "Given", "Good", "Great",
        "He", "Here", "How", "However", "I", "I'm", "I’m", "I'd", "I'll", "I've", "If", "In", "It", "It's", "It’s",
        "Its", "Just", "Last", "Let", "Let's", "Let’s", "Looking", "Moving", "My", "Next", "No", "Not", "Now", "Of",
        "Ok", "Okay", "On", "One", "Our", "Overall", "Please", "Second", "She", "Since", "So", "Some", "Sure",
        "Thank", "Thanks", "That", "That's", "That’s", "The", "Their", "Then", "There", "There's", "These", "They",
        "Third", "This", "Those", "Through", "To", "Today", "Turning", "We", "We're", "We’re", "We've", "We’ve",
        "We'll", "What", "When", "Where", "Which", "While", "Who", "Why", "With", "Within", "Yeah", "Yes", "You",
        "Your",
    ]
}
