import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// The scraped Motley Fool JSON layout, checked over every shared call against the file read independently with
/// JSONSerialization: every turn, speaker (as written) and section, and roles from the participants' titles.
@Suite struct FoolJSONTranscriptTests {
    static let files = TranscriptData.files(TranscriptData.json) { $0.contains("_q") }

    @Test func theSharedCallsArePresent() {
        // CI runs with ../shared; 60 calls are staged there.
        #expect(Self.files.count == 60)
    }

    @Test(arguments: files) func everyTurnSpeakerAndSectionIsReproduced(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var expected: [(speaker: String, section: TranscriptSection, speech: String)] = []
        for (key, section) in [("prepared_remarks", TranscriptSection.prepared), ("q_and_a", .qa)] {
            for turn in root[key] as? [[String: Any]] ?? [] {
                let speaker = turn["speaker"] as? String ?? ""
                // The scrape keeps the page's "Duration: N minutes" line as a pseudo-turn with no speech.
                if speaker.hasPrefix("Duration:") { continue }
                expected.append((speaker, section, turn["speech"] as? String ?? ""))
            }
        }
        let document = TranscriptData.read(path)
        #expect(!document.unreadable)
        #expect(document.transcript.layout == "fool-json")
        let turns = document.transcript.utterances
        try #require(turns.count == expected.count)
        for (turn, want) in zip(turns, expected) {
            #expect(turn.speakerLabel == want.speaker)
            #expect(turn.section == want.section)
            // Same characters, in order, without the operator-instruction markers (white space and full stops aside:
            // a full stop left alone by a removed marker goes with it).
            let stripped = want.speech.replacingOccurrences(of: "[Operator Instructions]", with: " ")
                .replacingOccurrences(of: "[Operator instructions]", with: " ")
            let squeeze = { (text: String) in text.filter { !$0.isWhitespace && $0 != "." } }
            if squeeze(stripped) != squeeze(turn.text) { Issue.record("\(turn.location): text differs") }
            #expect(!turn.text.contains("[Operator Instructions]"))
        }
    }

    @Test(arguments: files) func rolesFollowTheParticipantsTitles(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let document = TranscriptData.read(path)
        let byLabel = Dictionary(
            document.transcript.utterances.map { ($0.speakerLabel, $0.role) }, uniquingKeysWith: { first, _ in first })
        for entry in root["participants"] as? [String] ?? [] {
            let parts = entry.components(separatedBy: "--")
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let title = parts.dropFirst().joined(separator: "--")
            guard let role = byLabel[name] else { continue }
            // The spec: "Analyst" in the title → analyst; an officer's title → executive.
            if title.contains("Analyst") {
                #expect(role == .analyst, "\(name): \(title)")
            } else if ["Chief", "Officer", "President", "Director", "Investor", "VP", "Chair", "Head", "Treasurer",
                "Secretary", "Controller", "Executive", "Manager", "Counsel"].contains(where: { title.contains($0) })
            {
                #expect(role == .executive, "\(name): \(title)")
            }
        }
        for turn in document.transcript.utterances where turn.speakerLabel == "Operator" {
            #expect(turn.role == .operator)
        }
    }

    @Test func participantsListedUnderAnotherSpellingAreOnePerson() throws {
        let json = """
            {"header_texts": [], "participants": ["Timothy D. Cook--Chief Executive Officer", "Amit Daryanani--Evercore -- Analyst"],
             "prepared_remarks": [{"speaker": "Operator", "speech": "Welcome. [Operator Instructions]"},
                                  {"speaker": "Tim Cook", "speech": "Thank you. Revenue was $84.3 billion."}],
             "q_and_a": [{"speaker": "Amit Daryanani", "speech": "Thanks. How is China?"},
                         {"speaker": "Timothy Cook", "speech": "Good."}]}
            """
        let document = TranscriptIngestor().read(Array(json.utf8), path: "AAPL_q1_2023.txt")
        let transcript = document.transcript
        #expect(transcript.participants.map(\.name) == ["Timothy D. Cook", "Amit Daryanani", "Operator"])
        #expect(transcript.utterances.map(\.speaker) == ["Operator", "Timothy D. Cook", "Amit Daryanani", "Timothy D. Cook"])
        #expect(transcript.utterances.map(\.role) == [.operator, .executive, .analyst, .executive])
        #expect(transcript.utterances[0].text == "Welcome.")
        #expect(transcript.ticker == "AAPL" && transcript.fiscalQuarter == 1 && transcript.fiscalYear == 2023)
        #expect(transcript.utterances[1].sentences.map(\.text) == ["Thank you.", "Revenue was $84.3 billion."])
    }
}
