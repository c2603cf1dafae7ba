import FinDocCore
import Foundation

/// Company-IR and other PDF-to-text layouts where a turn starts inline: "Operator: Welcome ...",
/// "Sundar Pichai, CEO Alphabet and Google: Thank you ...", "Joseph Greff – JP Morgan Chase & Co.: I know ...",
/// with an optional "QUESTION AND ANSWER SESSION" heading, page numbers and wrapped lines.
enum InlineSpeakerLayout {
    /// The speaker prefix of `text`, when the line opens a turn, and the rest of the line.
    static func speaker(_ text: String) -> (name: String, title: String?, company: String?, rest: String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let prefix = TranscriptBuilder.clean(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        guard !prefix.isEmpty, prefix.count <= 90, !prefix.contains(where: { $0.isNumber }) else { return nil }
        if TranscriptBuilder.isOperatorName(prefix) { return ("Operator", nil, nil, rest) }
        var name = prefix
        var extra: String?
        var isCompany = false
        for separator in [", ", " – ", " — ", " - ", " ("] {
            if let range = prefix.range(of: separator) {
                name = String(prefix[..<range.lowerBound])
                extra = String(prefix[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: " )"))
                isCompany = separator != ", "
                break
            }
        }
        let words = name.split(separator: " ").count
        guard (2...5).contains(words), TranscriptLines.isNameLike(name) else { return nil }
        guard let extra else { return (name, nil, nil, rest) }
        if isCompany || ParticipantRole.from(title: extra) != .executive { return (name, nil, extra, rest) }
        return (name, extra, nil, rest)
    }

    static func read(_ lines: [TranscriptLine], into builder: inout TranscriptBuilder) {
        var lines = lines
        TranscriptLines.markFurniture(&lines) { _ in false }
        builder.wrapWidth = TranscriptLines.wrapWidth(lines)
        var previousEndsSentence = true
        for line in lines where !line.furniture {
            if line.isBlank {
                builder.closeParagraph()
                previousEndsSentence = true
                continue
            }
            let text = line.text
            if let heading = TranscriptLines.heading(text) {
                if heading == .qa {
                    builder.section = .qa
                    builder.sawQAHeading = true
                }
                previousEndsSentence = true
                continue
            }
            if previousEndsSentence || builder.turnCount == 0, let who = speaker(text) {
                builder.startTurn(name: who.name, title: who.title, company: who.company, line: line.number)
                builder.addLine(who.rest)
            } else {
                builder.addLine(text)
            }
            if let last = text.last { previousEndsSentence = ".?!\"”)".contains(last) }
        }
    }
}
