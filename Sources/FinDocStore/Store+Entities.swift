import FinDocCore
import GRDB

/// The entities found in one sentence by one labelling run.
public struct SentenceEntities: Sendable, Equatable {
    /// The sentence's id.
    public var sentenceID: Int64
    /// The spans (offsets into the sentence text), already merged and non-overlapping.
    public var spans: [EntitySpan]

    /// Creates a result.
    public init(sentenceID: Int64, spans: [EntitySpan]) {
        self.sentenceID = sentenceID
        self.spans = spans
    }
}

/// What `Store.entities(matching:into:)` lists.
public struct EntityFilter: Sendable, Equatable {
    /// Only this call.
    public var call: Int64?
    /// Only these types (upper-case names; empty: all).
    public var types: [String]
    /// Only sentences of this speaker (case-insensitive, part of the name is enough).
    public var speaker: String?
    /// Only rows of this labelling run id; nil: each sentence's newest run.
    public var runID: String?
    /// At most this many rows.
    public var limit: Int?

    /// Creates a filter.
    public init(call: Int64? = nil, types: [String] = [], speaker: String? = nil, runID: String? = nil, limit: Int? = nil) {
        self.call = call
        self.types = types
        self.speaker = speaker
        self.runID = runID
        self.limit = limit
    }
}

extension Store {
    /// The columns of `findoc query entities`, in order. Stable: later versions only append. Documented in
    /// `Schemas/export/entities.md` and its JSON Schema.
    public static let entityColumns = [
        "entity_id", "call_id", "sentence_id", "speaker", "section", "entity_type", "start_offset", "end_offset",
        "text", "normalized", "amount", "currency", "amount_minor", "source", "model_id", "probability", "run_id",
    ]

    /// Ids of transcript sentences that labelling run `runID` has not processed yet (all with `includeDone`), in id
    /// order.
    public func sentenceIDsForEntities(runID: String, includeDone: Bool = false) throws -> [Int64] {
        try queue.read { db in
            if includeDone { return try Int64.fetchAll(db, sql: "SELECT id FROM sentences ORDER BY id") }
            return try Int64.fetchAll(
                db,
                sql: """
                    SELECT s.id FROM sentences s
                    WHERE NOT EXISTS (SELECT 1 FROM entity_runs r WHERE r.sentence_id = s.id AND r.run_id = ?)
                    ORDER BY s.id
                    """, arguments: [runID])
        }
    }

    /// Replaces, in one transaction, the entities run `runID` stored for each of `results`' sentences with the
    /// given spans, and marks those sentences done for the run. Model spans are stored with `modelID`, rule spans
    /// with `ruleID`. Re-running with the same spans leaves the store as it was (apart from the run's sequence and
    /// time).
    public func replaceEntities(_ results: [SentenceEntities], runID: String, modelID: String?, ruleID: String) throws {
        guard !results.isEmpty else { return }
        try queue.write { db in
            let sequence = (try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM entity_runs") ?? 0) + 1
            let now = Timestamp.nowISO()
            let delete = try db.makeStatement(sql: "DELETE FROM entities WHERE sentence_id = ? AND run_id = ?")
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO entities(sentence_id, transcript_id, run_id, start_offset, end_offset, entity_type, text,
                                         normalized, amount, currency, amount_minor, source, model_id, probability)
                    SELECT s.id, s.transcript_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM sentences s WHERE s.id = ?
                    ON CONFLICT DO NOTHING
                    """)
            let mark = try db.makeStatement(
                sql: """
                    INSERT INTO entity_runs(sentence_id, run_id, sequence, labelled_at, entities) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (sentence_id, run_id) DO UPDATE SET sequence = excluded.sequence,
                        labelled_at = excluded.labelled_at, entities = excluded.entities
                    """)
            for result in results {
                try delete.execute(arguments: [result.sentenceID, runID])
                for span in result.spans {
                    let model = span.source == .model ? (modelID ?? runID) : ruleID
                    try insert.execute(arguments: [
                        runID, span.start, span.end, span.type.rawValue, span.text, span.normalized, span.amount,
                        span.currency?.code, span.money?.minorUnits, span.source.rawValue, model, span.probability,
                        result.sentenceID,
                    ])
                }
                try mark.execute(arguments: [result.sentenceID, runID, sequence, now, result.spans.count])
            }
        }
    }

    /// SQL of each sentence's newest entity run.
    static let latestEntityRunSQL = """
        SELECT r.sentence_id, r.run_id FROM entity_runs r
        WHERE r.sequence = (SELECT MAX(r2.sequence) FROM entity_runs r2 WHERE r2.sentence_id = r.sentence_id)
        """

    /// The WHERE clause and arguments of `filter` over `entities e`, `utterances u`, `participants p`.
    private func entityConditions(_ filter: EntityFilter) -> (String, StatementArguments) {
        var sql = ""
        var arguments: StatementArguments = []
        if let call = filter.call {
            sql += " AND e.transcript_id = ?"
            arguments += [call]
        }
        if !filter.types.isEmpty {
            sql += " AND e.entity_type IN (" + filter.types.map { _ in "?" }.joined(separator: ",") + ")"
            arguments += StatementArguments(filter.types.map { $0.uppercased() })
        }
        if let speaker = filter.speaker {
            sql += " AND (p.name LIKE ? ESCAPE '\\' OR u.speaker_label LIKE ? ESCAPE '\\')"
            let pattern = "%" + Self.likeEscaped(speaker) + "%"
            arguments += [pattern, pattern]
        }
        if let runID = filter.runID {
            sql += " AND e.run_id = ?"
            arguments += [runID]
        }
        return (sql, arguments)
    }

    /// The joins every entity query shares; without a run id, only each sentence's newest run.
    private func entitySource(_ filter: EntityFilter) -> String {
        """
        FROM entities e JOIN sentences s ON s.id = e.sentence_id JOIN utterances u ON u.id = s.utterance_id
        JOIN participants p ON p.id = u.participant_id
        \(filter.runID == nil ? "JOIN (\(Self.latestEntityRunSQL)) l ON l.sentence_id = e.sentence_id AND l.run_id = e.run_id" : "")
        WHERE 1 = 1
        """
    }

    /// Streams the entities matching `filter` into `sink` in call, utterance, sentence and offset order; returns
    /// the number of rows. `amount` is an exact decimal cell (a string in JSON Lines, never a float).
    @discardableResult
    public func entities(matching filter: EntityFilter, into sink: RowSink) throws -> Int {
        let (conditions, arguments) = entityConditions(filter)
        var sql = """
            SELECT e.id, e.transcript_id, e.sentence_id, p.name, u.section, e.entity_type, e.start_offset,
                   e.end_offset, e.text, e.normalized, e.amount, e.currency, e.amount_minor, e.source, e.model_id,
                   e.probability, e.run_id
            \(entitySource(filter))\(conditions)
            ORDER BY e.transcript_id, u.position, s.position, e.start_offset, e.id
            """
        var allArguments = arguments
        if let limit = filter.limit {
            sql += " LIMIT ?"
            allArguments += [max(0, limit)]
        }
        return try queue.read { db in
            try sink.begin(columns: Self.entityColumns)
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: allArguments)
            var count = 0
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(Self.entityColumns.count)
                for (index, value) in row.databaseValues.enumerated() {
                    switch value.storage {
                    case .null: cells.append(.null)
                    case let .int64(v): cells.append(.integer(v))
                    case let .double(v): cells.append(.real(v))
                    case let .string(v): cells.append(index == 10 ? .decimal(v) : .text(v))
                    case .blob: cells.append(.null)
                    }
                }
                try sink.row(cells)
                count += 1
            }
            try sink.end()
            return count
        }
    }

    /// Number of entities per type matching `filter` (its limit ignored), most frequent first, then by name.
    public func entityCounts(matching filter: EntityFilter = EntityFilter()) throws -> [(type: String, count: Int)] {
        let (conditions, arguments) = entityConditions(filter)
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.entity_type, COUNT(*) AS n \(entitySource(filter))\(conditions)
                    GROUP BY e.entity_type ORDER BY n DESC, e.entity_type
                    """, arguments: arguments
            ).map { (type: $0[0], count: $0[1]) }
        }
    }

    /// The stored spans of one sentence for run `runID`, by start offset (for tests and tools).
    public func storedEntities(sentenceID: Int64, runID: String) throws -> [EntitySpan] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT start_offset, end_offset, entity_type, text, normalized, amount, currency, source, probability
                    FROM entities WHERE sentence_id = ? AND run_id = ? ORDER BY start_offset, id
                    """, arguments: [sentenceID, runID]
            ).map { row in
                let currency: String? = row[6]
                let source: String = row[7]
                return EntitySpan(
                    start: row[0], end: row[1], type: EntityType(rawValue: row[2]), text: row[3], normalized: row[4],
                    amount: row[5], currency: currency.flatMap { CurrencyCode($0) },
                    source: EntitySource(rawValue: source) ?? .rule, probability: row[8])
            }
        }
    }
}
