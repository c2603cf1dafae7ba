import FinDocCore
import FinDocIngest
import FinDocPipeline
import FinDocStore
import Foundation
import Testing

/// Transcripts through the batch job into the store: sniffed by content, stored with their turns and sentences,
/// bad files reported while the batch goes on, and a second run adds nothing.
@Suite struct TranscriptPipelineTests {
    static let shared = repositoryRoot + "/../shared/data"
    static let calls = ["AAN_q3_2021.txt", "ADM_q1_2021.txt", "AIR_q1_2022.txt"]

    /// Turns per call counted from the JSON itself (prepared remarks + Q&A, without "Duration:" pseudo-turns).
    static func expectedTurns(_ name: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/earnings_calls_fool_json/" + name))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var count = 0
        for key in ["prepared_remarks", "q_and_a"] {
            for turn in root[key] as? [[String: Any]] ?? [] where !((turn["speaker"] as? String ?? "").hasPrefix("Duration:")) {
                count += 1
            }
        }
        return count
    }

    @Test func ingestsCallsAndBadFilesAndReingestsNothing() throws {
        let dir = try TemporaryDirectory()
        for name in Self.calls {
            try FileManager.default.copyItem(
                atPath: Self.shared + "/earnings_calls_fool_json/" + name, toPath: dir.file("in/calls/" + name).ensuringFolder())
        }
        try FileManager.default.copyItem(
            atPath: Self.shared + "/earnings_calls_fool_raw_text/CHTR_2019_Q4.txt", toPath: dir.file("in/calls/CHTR_2019_Q4.txt"))
        try dir.write("in/bad/empty.txt", "")
        try dir.write("in/bad/binary.bin", [0x00, 0x01, 0x02, 0xFF, 0x00])
        try dir.write("in/bad/other.json", "{\"rows\": [1, 2, 3]}")
        try dir.write("in/bad/no-speakers.txt", "The earnings call went well.\nQuestions and answers followed.\n")
        let store = try Store.open(path: dir.file("s.sqlite"))
        let report = BatchIngester(options: IngestOptions()).run(paths: [dir.file("in")], store: store)
        #expect(report.files.count == 8)
        for file in report.files where file.path.contains("/calls/") {
            #expect(file.format == .transcript, "\(file.path)")
            #expect(file.outcome == .stored(.ingested), "\(file.path): \(file.diagnostics)")
        }
        let bad = report.files.filter { $0.path.contains("/bad/") }
        #expect(bad.count == 4)
        for file in bad {
            #expect(file.isFailure, "\(file.path)")
            #expect(file.diagnostics.contains { $0.severity == .error && $0.location.file == file.path }, "\(file.path)")
        }
        let other = try #require(bad.first { $0.path.hasSuffix("other.json") })
        #expect(other.diagnostics.first?.location.xpath == "$")

        let turns = try Self.calls.map(Self.expectedTurns).reduce(0, +)
        #expect(try store.integer("SELECT COUNT(*) FROM transcripts") == 4)
        #expect(
            try store.integer(
                "SELECT COUNT(*) FROM utterances u JOIN transcripts t ON t.id = u.transcript_id WHERE t.layout = 'fool-json'")
                == Int64(turns))
        // Every sentence is the slice of its utterance that its offsets say (offsets in code points).
        let sink = CollectingSink()
        try store.readOnlyQuery(
            "SELECT u.text, s.start_offset, s.end_offset, s.text FROM sentences s JOIN utterances u ON u.id = s.utterance_id",
            into: sink)
        #expect(sink.rows.count > 1000)
        for row in sink.rows.prefix(3000) {
            guard case let .text(text) = row[0], case let .integer(start) = row[1], case let .integer(end) = row[2],
                case let .text(sentence) = row[3]
            else {
                Issue.record("unexpected row \(row)")
                continue
            }
            let scalars = Array(text.unicodeScalars)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[Int(start)..<Int(end)])
            #expect(String(view) == sentence)
        }

        // The queries: one row per call with its counts; utterances and sentences of one call, filtered.
        let calls = CollectingSink()
        try store.calls(into: calls)
        #expect(calls.columns == Store.callColumns)
        #expect(calls.rows.count == 4)
        let firstCall = try #require(calls.rows.first)
        guard case let .integer(callID) = firstCall[0] else { throw CancellationError() }
        let utterances = CollectingSink()
        try store.utterances(call: callID, into: utterances)
        #expect(utterances.columns == Store.utteranceColumns)
        #expect(firstCall[10] == .integer(Int64(utterances.rows.count)))
        let qa = CollectingSink()
        try store.sentences(call: callID, section: .qa, into: qa)
        #expect(qa.columns == Store.sentenceColumns)
        #expect(!qa.rows.isEmpty && qa.rows.allSatisfy { $0[7] == .text("qa") })
        let operatorOnly = CollectingSink()
        try store.sentences(call: callID, speaker: "operator", into: operatorOnly)
        #expect(!operatorOnly.rows.isEmpty && operatorOnly.rows.allSatisfy { $0[5] == .text("Operator") })

        let counts = try store.texts("SELECT COUNT(*) FROM documents UNION ALL SELECT COUNT(*) FROM sentences")
        let again = BatchIngester(options: IngestOptions()).run(paths: [dir.file("in")], store: store)
        #expect(again.alreadyIngested == 4)
        #expect(try store.texts("SELECT COUNT(*) FROM documents UNION ALL SELECT COUNT(*) FROM sentences") == counts)
    }
}

extension String {
    /// Creates the folder this path lies in; returns the path.
    fileprivate func ensuringFolder() throws -> String {
        try FileManager.default.createDirectory(
            atPath: (self as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return self
    }
}
