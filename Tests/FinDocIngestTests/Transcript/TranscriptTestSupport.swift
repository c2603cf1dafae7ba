import FinDocCore
import Foundation

@testable import FinDocIngest

/// Paths of the shared transcript data (../shared/data from the repository root).
enum TranscriptData {
    static let shared = TestSupport.repositoryRoot + "/../shared/data"
    static let json = shared + "/earnings_calls_fool_json"
    static let raw = shared + "/earnings_calls_fool_raw_text"
    static let refinitiv = shared + "/ectsum/refinitiv_raw_q3_2022"
    static let ects = shared + "/ectsum/test/ects"
    static let expected = TestSupport.repositoryRoot + "/Tests/FinDocIngestTests/Fixtures/transcripts-expected"

    /// The files of `folder` ending in `.txt` (SOURCE.md and READMEs left out), sorted; empty when absent.
    static func files(_ folder: String, matching: (String) -> Bool = { _ in true }) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".txt") && matching($0) }.sorted().map { folder + "/" + $0 }
    }

    /// Reads a transcript file with the ingestor.
    static func read(_ path: String) -> TranscriptDocument {
        TranscriptIngestor().read(TestSupport.readFile(path) ?? [], path: path)
    }
}
