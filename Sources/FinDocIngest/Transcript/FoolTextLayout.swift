import FinDocCore
import Foundation

/// The Motley Fool plain-text layout: a speaker line "Name -- Title" (analysts: "Name -- Firm -- Analyst") or
/// "Operator" on its own between blank lines, paragraphs one per line, a "Questions and Answers:" heading, and
/// optionally "Call participants:" with the same speaker lines at the end.
enum FoolTextLayout {
    /// A speaker line's parts, when `text` is one.
    static func speaker(_ text: String) -> (name: String, title: String?, company: String?)? {
        if TranscriptBuilder.isOperatorName(text) { return ("Operator", nil, nil) }
        guard text.count <= 200, let dash = text.range(of: " -- ") ?? text.range(of: " — ") ?? text.range(of: " – ")
        else { return nil }
        let name = String(text[..<dash.lowerBound])
        guard TranscriptLines.isNameLike(name) else { return nil }
        let rest = String(text[dash.upperBound...])
        guard !rest.isEmpty, rest.count <= 140, !rest.hasSuffix("?") else { return nil }
        if let inner = rest.range(of: " -- ", options: .backwards) {
            return (name, String(rest[inner.upperBound...]), String(rest[..<inner.lowerBound]))
        }
        return (name, rest, nil)
    }

    /// Number of lines in `lines` that are speaker lines set apart by blank lines.
    static func speakerLineCount(_ lines: [TranscriptLine]) -> Int {
        var count = 0
        for i in lines.indices where isSpeakerLine(lines, i) && lines[i].text.contains(" -- ") { count += 1 }
        return count
    }

    static func isSpeakerLine(_ lines: [TranscriptLine], _ i: Int) -> Bool {
        guard !lines[i].isBlank else { return false }
        let before = i == 0 || lines[i - 1].isBlank
        let after = i + 1 >= lines.count || lines[i + 1].isBlank
        return before && after && speaker(lines[i].text) != nil
    }

    static func read(_ lines: [TranscriptLine], into builder: inout TranscriptBuilder) {
        var ended = false
        for i in lines.indices {
            let line = lines[i]
            if line.isBlank {
                builder.closeParagraph()
                continue
            }
            if let heading = TranscriptLines.heading(line.text) {
                switch heading {
                case .qa:
                    builder.section = .qa
                    builder.sawQAHeading = true
                case .prepared: builder.section = .prepared
                case .end: ended = true
                }
                continue
            }
            if ended {
                // "Call participants:" lists the same speaker lines: titles only, no turns.
                if let who = speaker(line.text), who.name != "Operator" {
                    builder.declare(name: who.name, title: who.title, company: who.company)
                }
                continue
            }
            if isSpeakerLine(lines, i), let who = speaker(line.text) {
                builder.startTurn(name: who.name, title: who.title, company: who.company, line: line.number)
                continue
            }
            builder.addLine(line.text)
            builder.closeParagraph()
        }
    }
}

/// Finding where questions start when no heading says so: at the first operator turn that introduces a question.
enum QuestionStart {
    static func apply(_ builder: inout TranscriptBuilder) {
        guard !builder.sawQAHeading else { return }
        let cues = [
            "first question", "question comes from", "question is from", "question will come from",
            "question today comes from", "questions comes from", "first caller", "question-and-answer session",
            "open the call for questions", "open it up for questions", "open the line for questions",
            "take our first question", "begin the question",
        ]
        var sawOther = false
        for i in 0..<builder.turnCount {
            let speaker = builder.speaker(ofTurn: i)
            if speaker.role != .operator {
                sawOther = true
                continue
            }
            guard sawOther else { continue }
            let text = builder.text(ofTurn: i).lowercased()
            if cues.contains(where: { text.contains($0) }) || text.contains("operator instruction") {
                builder.setQA(from: i)
                return
            }
        }
    }
}
