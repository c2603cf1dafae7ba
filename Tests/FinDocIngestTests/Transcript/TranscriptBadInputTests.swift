import FinDocCore
import Testing

@testable import FinDocIngest

/// Bad input never traps: a located error (or a warning) and a best-effort result.
@Suite struct TranscriptBadInputTests {
    func read(_ text: String, path: String = "call.txt") -> TranscriptDocument {
        TranscriptIngestor().read(Array(text.utf8), path: path)
    }

    @Test func emptyFile() {
        let document = read("  \n\n")
        #expect(document.unreadable)
        #expect(document.diagnostics.map(\.code) == ["input.empty"])
        #expect(document.diagnostics[0].location.file == "call.txt")
    }

    @Test func noRecognisableSpeakers() {
        let document = read("Revenue grew this quarter.\nWe are pleased with the results.\n")
        #expect(document.unreadable)
        #expect(document.transcript.utterances.isEmpty)
        #expect(document.diagnostics.map(\.code) == ["transcript.no-speakers"])
    }

    @Test func binaryData() {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        let document = TranscriptIngestor().read(bytes, path: "image.png")
        #expect(document.unreadable)
        #expect(document.diagnostics.map(\.code) == ["input.binary"])
    }

    @Test(arguments: [
        ("[1, 2, 3]", "$"), ("{\"name\": \"not a transcript\"}", "$"), ("{\"prepared_remarks\": 5}", "$.prepared_remarks"),
    ])
    func jsonOfAnotherShape(_ json: String, _ xpath: String) {
        let document = read(json, path: "other.json")
        #expect(document.diagnostics.first?.location.xpath == xpath)
        #expect(document.diagnostics.first?.location.file == "other.json")
        #expect(document.transcript.utterances.isEmpty)
    }

    @Test func truncatedJSONSaysWhy() {
        let document = read("{\"prepared_remarks\": [{\"speaker\": \"Operator\", \"speech\": \"Hel")
        #expect(document.unreadable)
        #expect(document.diagnostics.first?.code == "transcript.json")
        #expect(document.diagnostics.first?.message.contains("not valid JSON") == true)
    }

    @Test func aTurnWithoutASpeakerIsSkippedWithAWarning() {
        let json = """
            {"prepared_remarks": [{"speech": "Orphan."}, {"speaker": "Operator", "speech": "Welcome."}], "q_and_a": []}
            """
        let document = read(json)
        #expect(!document.unreadable)
        #expect(document.transcript.utterances.map(\.speakerLabel) == ["Operator"])
        #expect(document.diagnostics.first?.severity == .warning)
        #expect(document.diagnostics.first?.location.xpath == "$.prepared_remarks[0]")
    }

    @Test func sniffingRecognisesTranscriptsAndLeavesStatementsAlone() {
        let fool = "Operator\n\nWelcome to the call.\n\nJane Roe -- Chief Executive Officer\n\nThanks.\n\n"
            + "Questions and Answers:\n\nOperator\n\nFirst question.\n\nJohn Doe -- Acme -- Analyst\n\nHi.\n"
        #expect(FormatSniffer.sniff(Array(fool.utf8)) == .format(.transcript))
        #expect(FormatSniffer.sniff(Array("{\"q_and_a\": []}".utf8)) == .format(.transcript))
        #expect(FormatSniffer.sniff(Array("<!DOCTYPE html><html><body><p>x</p></body></html>".utf8)) == .format(.transcript))
        let csv = "Date,Description,Amount\n2024-01-02,Conference call charge,-12.50\n2024-01-03,Operator fee,-3.00\n"
        #expect(FormatSniffer.sniff(Array(csv.utf8)) == .format(.csv))
        let qif = "!Type:Bank\nD01/02/2024\nT-12.50\nPEarnings call services\n^\n"
        #expect(FormatSniffer.sniff(Array(qif.utf8)) == .format(.qif))
    }
}
