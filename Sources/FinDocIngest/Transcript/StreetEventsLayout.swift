import FinDocCore
import Foundation

/// Refinitiv / Thomson Reuters StreetEvents transcripts converted from PDF: CORPORATE PARTICIPANTS and CONFERENCE
/// CALL PARTICIPANTS lists, PRESENTATION and QUESTIONS AND ANSWERS sections, page-wrapped lines, page headers and
/// footers, and a DISCLAIMER at the end.
///
/// Speakers appear in three forms: a name line followed by a "Company - Title" line (blocks set apart by blank
/// lines), one line "Name - Company - Title", or one line "Name Company - Title" repeating the participants list
/// (where name and company must be told apart; see `splitListEntry`).
enum StreetEventsLayout {
    static func looksLike(_ lines: [TranscriptLine]) -> Bool {
        let texts = Set(lines.prefix(400).map(\.text))
        return texts.contains("CORPORATE PARTICIPANTS")
            && (texts.contains("PRESENTATION") || texts.contains("QUESTIONS AND ANSWERS"))
    }

    private enum Part { case header, list, body, end }

    static func read(_ lines: [TranscriptLine], into builder: inout TranscriptBuilder) {
        var lines = lines
        TranscriptLines.markFurniture(&lines) { $0 == "Operator" }
        builder.wrapWidth = TranscriptLines.wrapWidth(lines)
        // Pass 1: the participants lists.
        var oneLineEntries: [String] = []
        var corporateEntries: [String] = []
        var inCorporate = false
        var part = Part.header
        var pendingName: String?
        for line in lines where !line.furniture {
            switch line.text {
            case "CORPORATE PARTICIPANTS", "CONFERENCE CALL PARTICIPANTS":
                part = .list
                pendingName = nil
                inCorporate = line.text == "CORPORATE PARTICIPANTS"
                continue
            case "PRESENTATION", "QUESTIONS AND ANSWERS":
                part = .body
            default: break
            }
            guard part == .list, !line.isBlank else { continue }
            if let dash = line.text.range(of: " - ") {
                if let name = pendingName {
                    builder.declare(
                        name: name, title: String(line.text[dash.upperBound...]),
                        company: String(line.text[..<dash.lowerBound]))
                    pendingName = nil
                } else {
                    oneLineEntries.append(line.text)
                    if inCorporate { corporateEntries.append(line.text) }
                }
            } else {
                pendingName = line.text
            }
        }
        let body = introductions(lines.filter { !$0.furniture }.map(\.text))
        let corporateCompany = commonCompany(corporateEntries)
        var entryNames: [(entry: String, name: String, company: String, title: String)] = []
        for entry in oneLineEntries {
            if let split = splitListEntry(entry, corporateCompany: corporateCompany, body: body) {
                builder.declare(name: split.name, title: split.title, company: split.company)
                entryNames.append((entry, split.name, split.company, split.title))
            }
        }
        // Pass 2: the turns.
        part = .header
        var skipTitleLine = false
        var previousBlank = true
        for (i, line) in lines.enumerated() where !line.furniture {
            defer { previousBlank = line.isBlank }
            switch line.text {
            case "CORPORATE PARTICIPANTS", "CONFERENCE CALL PARTICIPANTS":
                part = .list
                continue
            case "PRESENTATION":
                part = .body
                builder.section = .prepared
                continue
            case "QUESTIONS AND ANSWERS", "QUESTION AND ANSWER":
                part = .body
                builder.section = .qa
                builder.sawQAHeading = true
                continue
            case "DISCLAIMER":
                part = .end
                continue
            default: break
            }
            guard part == .body else { continue }
            if line.isBlank {
                builder.closeParagraph()
                continue
            }
            if skipTitleLine {
                skipTitleLine = false
                continue
            }
            let text = line.text
            if TranscriptBuilder.isOperatorName(text) || text.hasPrefix("Unidentified ") && text.count < 40 {
                builder.startTurn(name: text, line: line.number)
                if let next = nextText(lines, after: i), next.contains(" - "), next.count < 200,
                    text.hasPrefix("Unidentified")
                {
                    skipTitleLine = true
                }
                continue
            }
            // Block form: a name line after a blank line, then "Company - Title".
            if previousBlank, TranscriptLines.isNameLike(text), let next = nextText(lines, after: i),
                let dash = next.range(of: " - "), next.count < 220, !next.hasSuffix(".") || next.hasSuffix("Inc.")
            {
                builder.startTurn(
                    name: text, title: String(next[dash.upperBound...]), company: String(next[..<dash.lowerBound]),
                    line: line.number)
                skipTitleLine = true
                continue
            }
            // One-line form repeating a list entry.
            if let match = entryNames.first(where: { sameEntry($0.entry, text) }) {
                builder.startTurn(name: match.name, title: match.title, company: match.company, line: line.number)
                continue
            }
            // "Name - Company - Title".
            let pieces = text.components(separatedBy: " - ")
            if pieces.count >= 3, text.count < 240, TranscriptLines.isNameLike(pieces[0], maxWords: 6),
                pieces[0].split(separator: " ").count >= 2
            {
                builder.startTurn(
                    name: pieces[0], title: pieces[2...].joined(separator: " - "), company: pieces[1],
                    line: line.number)
                continue
            }
            builder.addLine(text)
        }
    }

    private static func nextText(_ lines: [TranscriptLine], after i: Int) -> String? {
        var j = i + 1
        while j < lines.count, lines[j].furniture { j += 1 }
        return j < lines.count && !lines[j].isBlank ? lines[j].text : nil
    }

    /// Whether a body line repeats list entry `entry`; PDF text cuts either at the page width.
    private static func sameEntry(_ entry: String, _ line: String) -> Bool {
        if entry == line { return true }
        let shorter = min(entry.count, line.count)
        return shorter >= 30 && (entry.hasPrefix(line) || line.hasPrefix(entry)) && line.contains(" - ")
    }

    /// The company most one-line entries share ("Texas Instruments Incorporated"): the corporate participants'.
    private static func commonCompany(_ entries: [String]) -> String? {
        var counts: [String: Int] = [:]
        for entry in entries {
            guard let dash = entry.range(of: " - ") else { continue }
            let words = entry[..<dash.lowerBound].split(separator: " ")
            guard words.count >= 3 else { continue }
            for k in 2..<words.count { counts[words[k...].joined(separator: " "), default: 0] += 1 }
        }
        return counts.filter { $0.value >= 2 }.max { ($0.key.count, $0.value) < ($1.key.count, $1.value) }?.key
    }

    /// Splits "Craig Matthew Hettenbach Morgan Stanley, Research Division - VP" into name, company and title.
    ///
    /// The corporate participants share a company; for the others, the name is the longest run of 2–4 words whose
    /// last word (the surname) the call's text uses after a word with the same initial ("Craig Hettenbach with
    /// Morgan Stanley"), which is how operators introduce analysts.
    /// Every "initial|Surname" pair of consecutive words in the text ("C|Hettenbach" from "Craig Hettenbach"), so
    /// that `splitListEntry` can ask whether the call ever names someone that way.
    static func introductions(_ texts: [String]) -> Set<String> {
        var pairs = Set<String>()
        for text in texts {
            var previous: Substring?
            for word in text.split(separator: " ") {
                if let before = previous, before.count > 1, let initial = before.first {
                    pairs.insert(String(initial) + "|" + word.trimmingCharacters(in: .punctuationCharacters))
                }
                previous = word
            }
        }
        return pairs
    }

    static func splitListEntry(_ entry: String, corporateCompany: String?, body: Set<String>)
        -> (name: String, company: String, title: String)?
    {
        guard let dash = entry.range(of: " - ") else { return nil }
        let head = String(entry[..<dash.lowerBound])
        let title = String(entry[dash.upperBound...])
        if let company = corporateCompany, head.hasSuffix(" " + company) {
            return (String(head.dropLast(company.count + 1)), company, title)
        }
        let words = head.split(separator: " ").map(String.init)
        guard words.count >= 3 else { return (head, "", title) }
        // An initial ("J.W.") is never the surname.
        var best = words[1].contains(".") && words[1].count <= 4 && words.count > 3 ? 3 : 2
        for k in 2...min(4, words.count - 1) {
            let surname = words[k - 1]
            guard let initial = words[0].first, surname.first?.isUppercase == true else { continue }
            if body.contains(String(initial) + "|" + surname) { best = k }
        }
        return (words[..<best].joined(separator: " "), words[best...].joined(separator: " "), title)
    }
}
