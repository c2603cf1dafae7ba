import FinDocCore
import Testing

@testable import FinDocIngest

/// The fictional HTML transcripts in Samples/transcripts, read through libxml2's HTML parser; expected values are
/// what the pages were written to say.
@Suite struct HTMLTranscriptTests {
    static let folder = TestSupport.repositoryRoot + "/Samples/transcripts/"

    func read(_ name: String) -> TranscriptDocument { TranscriptData.read(Self.folder + name) }

    @Test func foolStyleHTMLDropsNavigationScriptsAndFooters() {
        let document = read("northwind-robotics-q2-2024.html")
        let transcript = document.transcript
        #expect(!document.unreadable)
        #expect(transcript.layout == "fool-text-html")
        #expect(transcript.utterances.map(\.speakerLabel) == [
            "Operator", "Dana Whitfield", "Timothy Brandt", "Priya Raman", "Operator", "Luis Ortega", "Tim Brandt",
            "Operator",
        ])
        #expect(transcript.utterances.map(\.section) == [.prepared, .prepared, .prepared, .prepared, .qa, .qa, .qa, .qa])
        // "Tim Brandt" at the turn and "Timothy Brandt" in the list are one participant.
        #expect(transcript.utterances[6].speaker == "Timothy Brandt")
        #expect(transcript.participants.map(\.name) == [
            "Operator", "Dana Whitfield", "Timothy Brandt", "Priya Raman", "Luis Ortega",
        ])
        #expect(transcript.participants.map(\.role) == [.operator, .executive, .executive, .executive, .analyst])
        #expect(transcript.participants[4].company == "Harbor Street Capital")
        let all = transcript.utterances.map(\.text).joined(separator: "\n")
        for junk in ["analytics", "Menu", "footer", "[Operator Instructions]", "Fictional Transcripts Daily", "display"] {
            #expect(!all.contains(junk), "\(junk) leaked into speech")
        }
        #expect(transcript.utterances[2].sentences.map(\.text) == [
            "Thanks, Dana.", "Revenue grew 12.5% to $84.3 million in Q2.",
            "We shipped No. 1 volumes in the U.S. and Europe.", "Our backlog is approx. 9 months of production...",
            "And it keeps growing.",
        ])
        #expect(transcript.utterances[1].sentences.last?.text == "Our results are posted at investor.northwind.example.")
    }

    @Test func inlineSpeakersWithTitlesAndNicknames() {
        let transcript = read("contoso-energy-q4-2023.html").transcript
        #expect(transcript.layout == "inline-html")
        #expect(transcript.utterances.map(\.speakerLabel) == [
            "Operator", "Marta Silva", "Ken Okafor", "Operator", "Aiko Tanaka", "Kenneth Okafor", "Operator",
        ])
        #expect(transcript.utterances.map(\.section) == [.prepared, .prepared, .prepared, .qa, .qa, .qa, .qa])
        #expect(transcript.utterances[5].speaker == transcript.utterances[2].speaker)
        #expect(transcript.participants.count == 4)
        #expect(transcript.utterances.map(\.role) == [
            .operator, .executive, .executive, .operator, .analyst, .executive, .operator,
        ])
        #expect(transcript.callDate == LocalDate(year: 2024, month: 2, day: 8))
        #expect(transcript.fiscalQuarter == 4 && transcript.fiscalYear == 2023)
        #expect(transcript.utterances[5].sentences.map(\.text) == [
            "Mostly lower fuel costs.", "(We also renegotiated two contracts.)", "That is all.",
        ])
        #expect(!transcript.utterances.map(\.text).joined().contains("not speech"))
    }

    @Test func listsAndNonASCIINames() {
        let transcript = read("fabrikam-foods-q1-2025.html").transcript
        #expect(transcript.utterances.map(\.speakerLabel) == [
            "Operator", "Élodie Marchand", "Operator", "Sam Lee", "Élodie Marchand",
        ])
        #expect(transcript.utterances.map(\.section) == [.prepared, .prepared, .qa, .qa, .qa])
        // Each list item is its own paragraph, hence its own sentence.
        #expect(transcript.utterances[1].sentences.map(\.text) == [
            "Thank you.", "Net sales were €1.2 billion, up 3.4%.", "Prices rose about 2% — volumes rose, too.",
            "We expect three things:", "Stable input costs.", "Growth in Asia.", "Lower capital expenditure.",
        ])
    }
}
