import FinDocCore

/// Collects participants and turns while a reader walks a transcript, and turns them into a `Transcript`.
///
/// Readers only recognise layout (speaker lines, headings, furniture); this type owns what is common: one participant
/// per person whatever the spelling, roles from titles, paragraphs from wrapped lines, and the removal of
/// "[Operator Instructions]" markers from speakers' text.
struct TranscriptBuilder {
    /// The file, for locations.
    let path: String
    /// Whether source lines are page-wrapped (PDF text): consecutive lines are then joined with a space.
    let wrapped: Bool
    /// Width of a full wrapped line; a shorter line ending a sentence closes its paragraph.
    var wrapWidth = 0
    /// The section new turns go to.
    var section: TranscriptSection = .prepared
    /// True once a heading said where questions and answers start.
    var sawQAHeading = false
    private(set) var participants: [Participant] = []
    private var names: [PersonName] = []
    private var turns: [Turn] = []
    var diagnostics: [Diagnostic] = []

    private struct Turn {
        var participant: Int
        var label: String
        var section: TranscriptSection
        var location: SourceLocation
        var paragraphs: [String] = []
        var open = false
        var lastLineLength = 0
    }

    init(path: String, wrapped: Bool) {
        self.path = path
        self.wrapped = wrapped
    }

    /// Number of turns so far.
    var turnCount: Int { turns.count }

    /// Records someone from a participants list (or a speaker line), merging name variants; returns their index.
    @discardableResult
    mutating func declare(name rawName: String, title: String?, company: String?, role: ParticipantRole? = nil) -> Int {
        let name = Self.clean(rawName)
        let title = title.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 }
        let company = company.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 }
        let key = PersonName(name)
        let isOperator = Self.isOperatorName(name)
        if let index = find(name: name, key: key) {
            var known = participants[index]
            if known.title == nil, let title { known.title = title }
            if known.company == nil, let company { known.company = company }
            if name.count > known.name.count, !isOperator, key.words.count >= names[index].words.count {
                known.name = name
                names[index] = key
            }
            if let role, known.role == .other { known.role = role }
            if known.role == .other || known.role == .executive && role == nil {
                let derived = ParticipantRole.from(title: known.title, company: known.company, name: known.name)
                if derived != .other { known.role = derived }
            }
            participants[index] = known
            return index
        }
        let derived = isOperator ? .operator : role ?? ParticipantRole.from(title: title, company: company, name: name)
        participants.append(Participant(name: isOperator ? "Operator" : name, title: title, company: company, role: derived))
        names.append(key)
        return participants.count - 1
    }

    private func find(name: String, key: PersonName) -> Int? {
        if Self.isOperatorName(name) { return participants.firstIndex { $0.role == .operator && $0.name == "Operator" } }
        if let exact = participants.firstIndex(where: { $0.name == name }) { return exact }
        let matches = names.indices.filter { names[$0].matches(key) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Starts a new turn by `name`; later lines belong to it.
    mutating func startTurn(name: String, title: String? = nil, company: String? = nil, line: Int?, xpath: String? = nil) {
        let index = declare(name: name, title: title, company: company)
        closeParagraph()
        turns.append(
            Turn(participant: index, label: Self.clean(name), section: section, location: SourceLocation(file: path, line: line, xpath: xpath)))
    }

    /// Adds one source line of speech to the current turn (ignored before the first speaker).
    mutating func addLine(_ text: some StringProtocol) {
        guard !turns.isEmpty else { return }
        let line = Self.clean(text)
        guard !line.isEmpty else {
            closeParagraph()
            return
        }
        let last = turns.count - 1
        if wrapped, turns[last].open, let previous = turns[last].paragraphs.last {
            turns[last].paragraphs[turns[last].paragraphs.count - 1] =
                previous.hasSuffix("-") && !previous.hasSuffix(" -") && !previous.hasSuffix("--")
                ? previous + line : previous + " " + line
        } else {
            turns[last].paragraphs.append(line)
        }
        turns[last].open = wrapped
        turns[last].lastLineLength = text.count
        // A short wrapped line that ends a sentence ends its paragraph.
        if wrapped, wrapWidth > 0, text.count < wrapWidth * 3 / 4, let end = line.last, ".?!:\"”".contains(end) {
            turns[last].open = false
        }
    }

    /// Ends the current paragraph (a blank line).
    mutating func closeParagraph() {
        if !turns.isEmpty { turns[turns.count - 1].open = false }
    }

    /// Puts the current turn and those after it in Q&A (used when a heading arrives mid-turn).
    mutating func markCurrentTurnQA() {
        if !turns.isEmpty { turns[turns.count - 1].section = .qa }
    }

    /// The section of each turn so far, for readers that decide Q&A after the fact.
    var turnSections: [TranscriptSection] { turns.map(\.section) }

    /// Moves turns `from...` into Q&A.
    mutating func setQA(from index: Int) {
        for i in index..<turns.count { turns[i].section = .qa }
    }

    /// The text of turn `index` so far.
    func text(ofTurn index: Int) -> String { turns[index].paragraphs.joined(separator: "\n") }

    /// The speaker of turn `index`.
    func speaker(ofTurn index: Int) -> Participant { participants[turns[index].participant] }

    /// The transcript.
    func build(layout: String, metadata: TranscriptMetadata) -> TranscriptDocument {
        var participants = self.participants
        var utterances: [Utterance] = []
        utterances.reserveCapacity(turns.count)
        // Someone without a role-bearing title, first heard in Q&A right after the operator, is an analyst: that is
        // how calls introduce questioners.
        var firstTurn: [Int: Int] = [:]
        for (i, turn) in turns.enumerated() where firstTurn[turn.participant] == nil { firstTurn[turn.participant] = i }
        for (participant, i) in firstTurn where participants[participant].role == .other {
            if turns[i].section == .qa, i > 0, participants[turns[i - 1].participant].role == .operator {
                participants[participant].role = .analyst
            }
        }
        for turn in turns {
            let person = participants[turn.participant]
            let paragraphs = turn.paragraphs.map(Self.removingMarkers).filter { !$0.isEmpty }
            utterances.append(
                Utterance(
                    speaker: person.name, speakerLabel: turn.label, role: person.role, section: turn.section,
                    text: paragraphs.joined(separator: "\n"), location: turn.location))
        }
        let transcript = Transcript(
            company: metadata.company, ticker: metadata.ticker, fiscalQuarter: metadata.quarter,
            fiscalYear: metadata.year, callDate: metadata.date, layout: layout, participants: participants,
            utterances: utterances)
        var diagnostics = self.diagnostics
        if utterances.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .error, code: "transcript.no-speakers",
                    message: "no speaker turns found; expected speaker lines such as \"Name -- Title\", \"Operator\", "
                        + "\"Name: text\" or a StreetEvents participants list", location: SourceLocation(file: path)))
            return TranscriptDocument(transcript: transcript, diagnostics: diagnostics, unreadable: true)
        }
        if !utterances.contains(where: { $0.section == .qa }) {
            diagnostics.append(
                Diagnostic(
                    .note, code: "transcript.no-qa",
                    message: "no questions-and-answers section recognised; every turn is stored as prepared remarks",
                    location: SourceLocation(file: path)))
        }
        return TranscriptDocument(transcript: transcript, diagnostics: diagnostics)
    }

    // MARK: - Text helpers

    /// Collapses runs of white space (PDF text pads words) and trims.
    static func clean(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if SentenceSplitter.isSpace(scalar) || scalar == "\u{FEFF}" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Whether `name` names the conference operator.
    static func isOperatorName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "operator" || lower == "conference operator" || lower == "moderator"
            || lower == "coordinator" || lower == "conference call operator"
    }

    /// The text without "[Operator Instructions]" / "(Operator Instructions)" markers (any case, optional full stop).
    static func removingMarkers(_ text: String) -> String {
        guard text.contains("nstruction") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "[" || $0 == "(" }) {
            let closing: Character = rest[open] == "[" ? "]" : ")"
            guard let close = rest[open...].firstIndex(of: closing) else { break }
            let inner = rest[rest.index(after: open)..<close].lowercased()
            if inner.hasPrefix("operator instruction") {
                out += rest[..<open]
                var after = rest.index(after: close)
                // "session. [Operator Instructions]." loses its now-lone full stop; "ask a question [Operator
                // Instructions]. Next" keeps it, so the sentence still ends.
                let previous = out.last { !$0.isWhitespace }
                if after < rest.endIndex, rest[after] == ".", previous == nil || ".?!:".contains(previous ?? ".") {
                    after = rest.index(after: after)
                }
                rest = rest[after...]
            } else {
                out += rest[...close]
                rest = rest[rest.index(after: close)...]
            }
        }
        out += rest
        return clean(out)
    }
}
