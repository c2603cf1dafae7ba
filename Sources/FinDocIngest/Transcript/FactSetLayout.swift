import FinDocCore
import Foundation

/// FactSet CallStreet transcripts converted from PDF: CORPORATE PARTICIPANTS / OTHER PARTICIPANTS lists (a name line,
/// then "Title, Company"), MANAGEMENT DISCUSSION SECTION and QUESTION AND ANSWER SECTION, turns set apart by dotted
/// rules, a speaker's name line then "Title, Company" with a trailing Q or A, "Operator: text" inline, a page header
/// block on every page and a Disclaimer at the end.
enum FactSetLayout {
    static func looksLike(_ lines: [TranscriptLine]) -> Bool {
        lines.prefix(400).contains {
            $0.text == "MANAGEMENT DISCUSSION SECTION" || $0.text == "QUESTION AND ANSWER SECTION"
                || $0.text.hasPrefix("1-877-FACTSET")
        }
    }

    static func isRule(_ text: String) -> Bool { text.count >= 20 && text.allSatisfy { $0 == "." || $0 == "…" } }

    static func read(_ lines: [TranscriptLine], into builder: inout TranscriptBuilder) {
        var lines = lines
        TranscriptLines.markFurniture(&lines) { $0 == "Operator" }
        builder.wrapWidth = TranscriptLines.wrapWidth(lines)
        let kept = lines.filter { !$0.furniture && !$0.isBlank }
        var inList = false
        var inBody = false
        var expectSpeaker = false
        var skip = 0
        for (i, line) in kept.enumerated() {
            if skip > 0 {
                skip -= 1
                continue
            }
            let text = line.text
            switch text {
            case "CORPORATE PARTICIPANTS", "OTHER PARTICIPANTS":
                inList = true
                continue
            case "MANAGEMENT DISCUSSION SECTION":
                inList = false
                inBody = true
                expectSpeaker = true
                builder.section = .prepared
                continue
            case "QUESTION AND ANSWER SECTION":
                inList = false
                inBody = true
                expectSpeaker = true
                builder.section = .qa
                builder.sawQAHeading = true
                continue
            case "Disclaimer", "DISCLAIMER":
                inBody = false
                inList = false
                continue
            default: break
            }
            if isRule(text) {
                expectSpeaker = inBody
                builder.closeParagraph()
                continue
            }
            if inList {
                if i + 1 < kept.count, TranscriptLines.isNameLike(text), !isRule(kept[i + 1].text) {
                    let (title, company) = titleAndCompany(kept[i + 1].text)
                    builder.declare(name: text, title: title, company: company)
                    skip = 1
                }
                continue
            }
            guard inBody else { continue }
            if expectSpeaker {
                expectSpeaker = false
                if text.hasPrefix("Operator:") {
                    builder.startTurn(name: "Operator", line: line.number)
                    builder.addLine(String(text.dropFirst("Operator:".count)))
                    continue
                }
                if TranscriptBuilder.isOperatorName(text) {
                    builder.startTurn(name: "Operator", line: line.number)
                    continue
                }
                if TranscriptLines.isNameLike(text), i + 1 < kept.count {
                    let (title, company) = titleAndCompany(kept[i + 1].text)
                    builder.startTurn(name: text, title: title, company: company, line: line.number)
                    skip = 1
                    continue
                }
            }
            builder.addLine(text)
        }
    }

    /// "Vice President-Investor Relations, Palo Alto Networks, Inc. A" → ("Vice President-Investor Relations",
    /// "Palo Alto Networks, Inc."); "Analyst, Barclays Capital, Inc. Q" → ("Analyst", "Barclays Capital, Inc.").
    static func titleAndCompany(_ text: String) -> (String?, String?) {
        var text = text
        if text.hasSuffix(" Q") || text.hasSuffix(" A") { text.removeLast(2) }
        guard let comma = text.range(of: ", ") else { return (text, nil) }
        return (String(text[..<comma.lowerBound]), String(text[comma.upperBound...]))
    }
}
