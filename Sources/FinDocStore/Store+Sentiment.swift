import FinDocCore
import GRDB

extension Store {
    /// The sentiment task's name in `predictions`.
    public static let sentimentTask = "sentiment"

    /// The text of each sentence in `ids`, in the order given (ids not stored are left out).
    public func sentenceTexts(ids: [Int64]) throws -> [(id: Int64, text: String)] {
        guard !ids.isEmpty else { return [] }
        return try queue.read { db in
            var byID: [Int64: String] = [:]
            // Chunks keep each statement under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = chunk.map { _ in "?" }.joined(separator: ",")
                for row in try Row.fetchAll(
                    db, sql: "SELECT id, text FROM sentences WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
                {
                    byID[row[0]] = row[1]
                }
            }
            return ids.compactMap { id in byID[id].map { (id, $0) } }
        }
    }

    /// The columns of `findoc report call`, in order (stable; later versions only append).
    public static let callSentimentColumns = [
        "call_id", "scope", "name", "role", "sentences", "labelled", "positive", "neutral", "negative", "mean_score",
    ]

    /// SQL of the `latest` sentiment predictions reports and queries count: for each call, one model's predictions —
    /// the model bound to the one `?` parameter, or when that is NULL the model of the call's newest sentiment
    /// prediction.
    ///
    /// Why one model per call: after a user labels with a second model (a fine-tuned bundle replacing the frozen
    /// head, or `--int8`), counting each sentence with whatever prediction came last would mix two models' scores in
    /// one mean. Per call rather than store-wide, so that calls labelled only by an older model still report.
    /// `predictions` holds at most one row per sentence and model (unique index), so no per-sentence maximum is
    /// needed. The columns are `item_id, label, score, model_id, transcript_id`.
    static let latestSentimentSQL = """
        SELECT p.item_id, p.label, p.score, p.model_id, s.transcript_id FROM predictions p
        JOIN sentences s ON s.id = p.item_id
        JOIN (SELECT s2.transcript_id AS transcript_id, q.model_id AS model_id, MAX(q.id) AS newest
              FROM predictions q JOIN sentences s2 ON s2.id = q.item_id
              WHERE q.task = 'sentiment' AND q.item_kind = 'sentence'
              GROUP BY s2.transcript_id) c ON c.transcript_id = s.transcript_id
        WHERE p.task = 'sentiment' AND p.item_kind = 'sentence' AND p.model_id = COALESCE(?, c.model_id)
        """

    /// The model whose predictions `callSentiment` counts for call `id`: `model` when given, else the model of the
    /// call's newest sentiment prediction; nil when the call has none.
    public func callSentimentModel(call id: Int64, model: String? = nil) throws -> String? {
        if let model { return model }
        return try queue.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT p.model_id FROM predictions p JOIN sentences s ON s.id = p.item_id
                    WHERE p.task = 'sentiment' AND p.item_kind = 'sentence' AND s.transcript_id = ?
                    ORDER BY p.id DESC LIMIT 1
                    """, arguments: [id])
        }
    }

    /// Streams call `id`'s sentiment into `sink`: one row for the whole call (`scope` call), one per section
    /// (`prepared`, `qa`) and one per speaker in order of first turn — sentences, sentences labelled, counts of
    /// positive / neutral / negative and the mean score P(pos) − P(neg) (null when none is labelled). Every figure
    /// comes from one model's predictions: `model`, else the model of the call's newest prediction (see
    /// `latestSentimentSQL`); sentences that model did not label count as not labelled.
    @discardableResult
    public func callSentiment(call id: Int64, model: String? = nil, into sink: RowSink) throws -> Int {
        let figures = """
            COUNT(s.id), COUNT(l.item_id),
            COALESCE(SUM(CASE WHEN l.label = 'positive' THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN l.label = 'neutral' THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN l.label = 'negative' THEN 1 ELSE 0 END), 0),
            AVG(l.score)
            """
        let from = """
            FROM sentences s JOIN utterances u ON u.id = s.utterance_id JOIN participants pa ON pa.id = u.participant_id
            LEFT JOIN latest l ON l.item_id = s.id
            WHERE s.transcript_id = ?
            """
        // Column names of a UNION come from its first SELECT; spelled out once here for the ordering.
        let ordered = """
            WITH latest AS (\(Self.latestSentimentSQL))
            SELECT call_id, scope, name, role, n, labelled, pos, neu, neg, mean FROM (
              SELECT ? AS call_id, 'call' AS scope, '' AS name, NULL AS role,
                     COUNT(s.id) AS n, COUNT(l.item_id) AS labelled,
                     COALESCE(SUM(CASE WHEN l.label = 'positive' THEN 1 ELSE 0 END), 0) AS pos,
                     COALESCE(SUM(CASE WHEN l.label = 'neutral' THEN 1 ELSE 0 END), 0) AS neu,
                     COALESCE(SUM(CASE WHEN l.label = 'negative' THEN 1 ELSE 0 END), 0) AS neg,
                     AVG(l.score) AS mean, 0 AS k1, 0 AS k2
              \(from)
              UNION ALL
              SELECT ?, 'section', u.section, NULL, \(figures), 1, CASE u.section WHEN 'prepared' THEN 0 ELSE 1 END
              \(from) GROUP BY u.section
              UNION ALL
              SELECT ?, 'speaker', pa.name, pa.role, \(figures), 2, MIN(u.position)
              \(from) GROUP BY pa.id
            ) ORDER BY k1, k2
            """
        return try queue.read { db in
            try sink.begin(columns: Self.callSentimentColumns)
            let cursor = try Row.fetchCursor(db, sql: ordered, arguments: [model, id, id, id, id, id, id])
            var count = 0
            while let row = try cursor.next() {
                var cells: [Cell] = []
                for value in row.databaseValues {
                    switch value.storage {
                    case .null, .blob: cells.append(.null)
                    case let .int64(v): cells.append(.integer(v))
                    case let .double(v): cells.append(.real(v))
                    case let .string(v): cells.append(.text(v))
                    }
                }
                try sink.row(cells)
                count += 1
            }
            try sink.end()
            return count
        }
    }
}
