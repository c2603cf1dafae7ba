import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// Page furniture, disclaimers and operator-instruction markers never end up in a speaker's text, in any raw layout.
@Suite struct TranscriptFurnitureTests {
    static let files = TranscriptData.files(TranscriptData.raw) + TranscriptData.files(TranscriptData.refinitiv)

    /// Strings that only page headers, footers and disclaimers carry (read off the files' page breaks and ends).
    static let furniture = [
        "REFINITIV STREETEVENTS", "Refinitiv. All rights reserved", "Republication or redistribution",
        "1-877-FACTSET", "FactSet CallStreet, LLC", "Total Pages:", "Corrected Transcript",
        "THE INFORMATION CONTAINED IN EVENT BRIEFS", "DISCLAIMER", "[Operator Instructions]",
        "(Operator Instructions)", "[Operator instructions]",
    ]

    @Test func theRawFoldersArePresent() {
        #expect(Self.files.count >= 40)
    }

    @Test(arguments: files) func speechCarriesNoFurniture(path: String) {
        let document = TranscriptData.read(path)
        #expect(!document.unreadable, "\(path)")
        #expect(document.transcript.utterances.count >= 5, "\(path)")
        for turn in document.transcript.utterances {
            for marker in Self.furniture where turn.text.contains(marker) {
                Issue.record("\(turn.location): \"\(marker)\" in \(turn.speakerLabel)'s text")
            }
            // A page number left alone on a line would be a paragraph of digits.
            for paragraph in turn.text.split(separator: "\n") where paragraph.allSatisfy(\.isNumber) {
                Issue.record("\(turn.location): page number \"\(paragraph)\" in speech")
            }
        }
        // Every file in these folders has questions and answers (SOURCE.md: all Fool and 146 of 148 Refinitiv).
        #expect(document.transcript.utterances.contains { $0.section == .qa }, "\(path)")
    }
}
