import FinDocCore
import FinDocStore
import Foundation
import Testing

/// The entities table (migration 0006) and its store API, on a fresh store per test with one hand-built call.
@Suite struct EntityStoreTests {
    /// One call, two turns: Ana Lima (prepared) says sentence 1 and 2, an analyst (qa) says sentence 3.
    static func storeWithCall() throws -> (Store, TemporaryDirectory, [Int64]) {
        let dir = try TemporaryDirectory()
        let store = try Store.open(path: dir.file("e.sqlite"))
        let location = SourceLocation(file: "call.txt", line: 1)
        let transcript = Transcript(
            company: "Northwind", layout: "inline",
            participants: [Participant(name: "Ana Lima", role: .executive), Participant(name: "Bo Chen", role: .analyst)],
            utterances: [
                Utterance(
                    speaker: "Ana Lima", role: .executive, section: .prepared,
                    text: "Revenue was $84.3 billion. Margin rose 2%.", location: location),
                Utterance(speaker: "Bo Chen", role: .analyst, section: .qa, text: "What about Q3 2022?", location: location),
            ])
        let outcome = try store.importTranscript(
            TranscriptImport(sha256: String(repeating: "a", count: 64), path: "call.txt", sizeBytes: 10,
                             document: TranscriptDocument(transcript: transcript)))
        #expect(outcome.sentences == 3)
        let ids = try store.sentenceIDsForEntities(runID: "r")
        return (store, dir, ids)
    }

    static let usd = CurrencyCode("USD")

    /// "Revenue was $84.3 billion." — Revenue0-6 ␠7 was8-10 ␠11 $12 … billion ends at 25.
    static let money = EntitySpan(
        start: 12, end: 25, type: .money, text: "$84.3 billion", normalized: "84300000000 USD", amount: "84300000000",
        currency: usd, source: .rule)
    static let org = EntitySpan(start: 0, end: 7, type: .organization, text: "Revenue", source: .model, probability: 0.75)

    @Test func replaceIsIdempotentAndQueriesFilter() throws {
        let (store, _, ids) = try Self.storeWithCall()
        #expect(ids.count == 3)
        let results = [SentenceEntities(sentenceID: ids[0], spans: [Self.org, Self.money]), SentenceEntities(sentenceID: ids[1], spans: [])]
        try store.replaceEntities(results, runID: "m1+rules", modelID: "m1", ruleID: "rules")
        try store.replaceEntities(results, runID: "m1+rules", modelID: "m1", ruleID: "rules")
        #expect(try store.sentenceIDsForEntities(runID: "m1+rules") == [ids[2]])
        #expect(try store.sentenceIDsForEntities(runID: "m1+rules", includeDone: true) == ids)
        #expect(try store.storedEntities(sentenceID: ids[0], runID: "m1+rules") == [Self.org, Self.money])

        let sink = CollectingSink()
        #expect(try store.entities(matching: EntityFilter(), into: sink) == 2)
        #expect(sink.columns == Store.entityColumns)
        #expect(sink.column("entity_type") == ["ORG", "MONEY"])
        #expect(sink.column("amount") == ["", "84300000000"])
        #expect(sink.column("amount_minor") == ["", "8430000000000"])
        #expect(sink.column("model_id") == ["m1", "rules"])
        #expect(sink.column("speaker") == ["Ana Lima", "Ana Lima"])
        let amountIndex = try #require(sink.columns.firstIndex(of: "amount"))
        #expect(sink.rows[1][amountIndex] == .decimal("84300000000"))

        let moneyOnly = CollectingSink()
        try store.entities(matching: EntityFilter(call: 1, types: ["money"]), into: moneyOnly)
        #expect(moneyOnly.column("text") == ["$84.3 billion"])
        #expect(try store.entities(matching: EntityFilter(call: 2), into: CollectingSink()) == 0)
        #expect(try store.entities(matching: EntityFilter(speaker: "chen"), into: CollectingSink()) == 0)
        #expect(try store.entities(matching: EntityFilter(limit: 1), into: CollectingSink()) == 1)
        #expect(try store.entityCounts().map { "\($0.type)=\($0.count)" } == ["MONEY=1", "ORG=1"])
    }

    /// A newer run of a sentence hides the older run's rows unless asked for by id; replacing drops stale spans.
    @Test func newestRunWinsAndReplaceDropsStaleSpans() throws {
        let (store, _, ids) = try Self.storeWithCall()
        try store.replaceEntities([SentenceEntities(sentenceID: ids[0], spans: [Self.money])], runID: "rules", modelID: nil, ruleID: "rules")
        try store.replaceEntities(
            [SentenceEntities(sentenceID: ids[0], spans: [Self.org, Self.money])], runID: "m1+rules", modelID: "m1", ruleID: "rules")
        let latest = CollectingSink()
        try store.entities(matching: EntityFilter(), into: latest)
        #expect(latest.column("run_id") == ["m1+rules", "m1+rules"])
        let old = CollectingSink()
        try store.entities(matching: EntityFilter(runID: "rules"), into: old)
        #expect(old.column("text") == ["$84.3 billion"])
        // Re-running "rules" with nothing found makes it the newest run, with no rows.
        try store.replaceEntities([SentenceEntities(sentenceID: ids[0], spans: [])], runID: "rules", modelID: nil, ruleID: "rules")
        #expect(try store.entities(matching: EntityFilter(), into: CollectingSink()) == 0)
        #expect(try store.storedEntities(sentenceID: ids[0], runID: "rules").isEmpty)
        #expect(try store.storedEntities(sentenceID: ids[0], runID: "m1+rules").count == 2)
    }

    /// The table keeps money as exact text and integer minor units, never REAL.
    @Test func schemaKeepsAmountsExact() throws {
        let (store, _, _) = try Self.storeWithCall()
        let sink = CollectingSink()
        try store.readOnlyQuery("SELECT name, type FROM pragma_table_info('entities') WHERE name LIKE 'amount%'", into: sink)
        #expect(sink.column("type") == ["TEXT", "INTEGER"])
    }
}
