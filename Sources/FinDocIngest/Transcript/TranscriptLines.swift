import Foundation
import FinDocCore

/// One line of a text transcript: its 1-based number in the file and its text with white space collapsed.
struct TranscriptLine: Sendable {
    /// 1-based line number in the source.
    var number: Int
    /// The text, trimmed, runs of white space collapsed.
    var text: String
    /// The length of the line as it stood (before collapsing), to tell full wrapped lines from paragraph ends.
    var rawLength: Int
    /// True for page headers, footers and page numbers.
    var furniture = false

    /// True when the line has no text.
    var isBlank: Bool { text.isEmpty }
}

/// Splitting text into lines and recognising page furniture.
enum TranscriptLines {
    /// The lines of `text` (LF, CRLF or CR line ends).
    static func split(_ text: String) -> [TranscriptLine] {
        var lines: [TranscriptLine] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            let cleaned = TranscriptBuilder.clean(raw)
            lines.append(TranscriptLine(number: number, text: cleaned, rawLength: cleaned.count))
        }
        return lines
    }

    /// Marks page numbers, running headers and footers of PDF-to-text layouts (Refinitiv, FactSet, company IR):
    /// bare numbers, the publishers' copyright lines, and any line from a file's first lines that recurs at least
    /// three times (a page header), except speaker lines.
    static func markFurniture(_ lines: inout [TranscriptLine], keep: (String) -> Bool) {
        var counts: [String: Int] = [:]
        for line in lines where !line.isBlank { counts[line.text, default: 0] += 1 }
        var header = Set<String>()
        // Page headers are looked for before the participants lists start: names and titles there recur as speaker
        // lines.
        let zone = lines.prefix(15).prefix { !$0.text.hasSuffix("PARTICIPANTS") && $0.text != "PRESENTATION" }
        for line in zone where !line.isBlank && (counts[line.text] ?? 0) >= 3 && !keep(line.text) {
            header.insert(line.text)
        }
        for i in lines.indices where !lines[i].isBlank {
            let text = lines[i].text
            if header.contains(text) || isFurniture(text) { lines[i].furniture = true }
        }
    }

    /// Furniture recognisable on its own.
    static func isFurniture(_ text: String) -> Bool {
        if text.count <= 4, text.allSatisfy({ $0.isNumber }) { return true }
        if text.hasPrefix("REFINITIV STREETEVENTS |") || text.hasPrefix("THOMSON REUTERS STREETEVENTS |") { return true }
        if text.hasPrefix("©"), text.contains("Refinitiv") || text.contains("Thomson Reuters") { return true }
        if text.contains("Republication or redistribution of") || text.contains("prior written consent of Refinitiv")
            || text.contains("prior written consent of Thomson Reuters")
            || text.hasPrefix("'Refinitiv' and the Refinitiv logo") || text == "affiliated companies."
        {
            return true
        }
        if text.hasPrefix("1-877-FACTSET") || (text.hasPrefix("Copyright ©") && text.contains("FactSet")) { return true }
        if text.hasPrefix("Total Pages:") { return true }
        // The running header of StreetEvents pages: "AUGUST 19, 2020 / 2:00PM, ADI.OQ - Q3 2020 ... Earnings Call".
        if text.contains(" / "), text.contains("Call") || text.contains("Earnings"),
            let slash = text.range(of: " / "), TranscriptMetadata.date(in: String(text[..<slash.lowerBound])) != nil,
            text.prefix(while: { $0 != " " }).allSatisfy({ $0.isUppercase })
        {
            return true
        }
        return false
    }

    /// A typical full line's length: the 90th percentile of non-blank line lengths.
    static func wrapWidth(_ lines: [TranscriptLine]) -> Int {
        let lengths = lines.filter { !$0.isBlank && !$0.furniture }.map(\.rawLength).sorted()
        guard !lengths.isEmpty else { return 0 }
        return lengths[min(lengths.count - 1, lengths.count * 9 / 10)]
    }

    /// Whether `text` looks like a person's name: 1–7 words, each capitalised (or a particle such as "de"), no
    /// digits, not ending a sentence.
    static func isNameLike(_ text: String, maxWords: Int = 7) -> Bool {
        guard !text.isEmpty, text.count <= 60 else { return false }
        if text.contains(where: { $0.isNumber || $0 == ":" || $0 == ";" || $0 == "?" || $0 == "!" || $0 == "\"" }) {
            return false
        }
        let words = text.split(separator: " ")
        guard (1...maxWords).contains(words.count) else { return false }
        if let last = words.last, last.hasSuffix("."), last.count > 3, !["Jr.", "Sr."].contains(String(last)) {
            return false
        }
        for word in words {
            let letters = word.drop { $0 == "(" || $0 == "'" || $0 == "‘" || $0 == "\"" }
            guard let first = letters.first else { return false }
            if first.isUppercase { continue }
            if particles.contains(String(word)) { continue }
            // "deSouza", "el-Erian"-like names: lower-case start, a capital inside.
            if word.count > 3, word.dropFirst().contains(where: { $0.isUppercase }) { continue }
            return false
        }
        return true
    }

    private static let particles: Set<String> = [
        "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "bin", "al", "y", "dos", "das",
        "ter", "ten", "st.",
    ]

    /// The heading a line is, if any.
    static func heading(_ text: String) -> Heading? {
        var lower = text.lowercased()
        while lower.hasSuffix(":") || lower.hasSuffix(".") { lower.removeLast() }
        lower = TranscriptBuilder.clean(lower)
        switch lower {
        case "questions and answers", "questions & answers", "question and answer", "question-and-answer session",
            "question and answer session", "questions and answers session", "q&a", "q & a", "question & answer",
            "question and answer section", "questions-and-answers", "q&a session":
            return .qa
        case "prepared remarks", "presentation", "management discussion section", "management remarks",
            "opening remarks":
            return .prepared
        case "call participants", "duration", "disclaimer", "definitions":
            return .end
        default:
            if lower.hasPrefix("duration:") || lower.hasPrefix("duration ") && lower.hasSuffix("minutes") { return .end }
            return nil
        }
    }

    /// What a heading line does.
    enum Heading {
        case prepared, qa, end
    }
}
