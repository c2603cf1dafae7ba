import FinDocCore
import GRDB

extension Store {
    /// Stores one transcript — document row, diagnostics, transcript, participants, utterances and sentences — in a
    /// single SQLite transaction. A failed earlier attempt with the same bytes is replaced; callers check
    /// `knownDocument(sha256:)` first so that a stored file is never stored twice.
    public func importTranscript(_ item: TranscriptImport) throws -> TranscriptImportOutcome {
        try queue.write { db in
            try db.execute(
                sql: "DELETE FROM diagnostics WHERE document_id IN (SELECT id FROM documents WHERE sha256 = ? AND status = 'failed')",
                arguments: [item.sha256])
            try db.execute(sql: "DELETE FROM documents WHERE sha256 = ? AND status = 'failed'", arguments: [item.sha256])
            let status = item.status
            let transcript = item.document.transcript
            let firstError = item.document.diagnostics.first { $0.severity == .error }
            let sentenceCount = transcript.utterances.reduce(0) { $0 + $1.sentences.count }
            try db.execute(
                sql: """
                    INSERT INTO documents(sha256, path, format, profile, size_bytes, status, error, records_stored,
                                          ingested_at)
                    VALUES (?, ?, 'transcript', ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    item.sha256, item.path, transcript.layout, item.sizeBytes, status.rawValue,
                    firstError.map { "\($0.location): \($0.message)" },
                    status == .failed ? 0 : transcript.utterances.count, Timestamp.nowISO(),
                ])
            let documentID = db.lastInsertedRowID
            try writeDiagnostics(db, item.document.diagnostics, documentID: documentID)
            guard status != .failed else {
                return TranscriptImportOutcome(
                    documentID: documentID, transcriptID: nil, status: status, utterances: 0, sentences: 0)
            }
            try db.execute(
                sql: """
                    INSERT INTO transcripts(document_id, layout, company, ticker, fiscal_quarter, fiscal_year, call_date)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    documentID, transcript.layout, transcript.company, transcript.ticker, transcript.fiscalQuarter,
                    transcript.fiscalYear, transcript.callDate?.iso,
                ])
            let transcriptID = db.lastInsertedRowID
            var participantIDs: [String: Int64] = [:]
            let participant = try PreparedStatement(
                db,
                sql: """
                    INSERT INTO participants(transcript_id, position, name, title, company, role)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for (position, person) in transcript.participants.enumerated() {
                participant.bind(1, transcriptID)
                participant.bind(2, position)
                participant.bind(3, person.name)
                participant.bind(4, person.title)
                participant.bind(5, person.company)
                participant.bind(6, person.role.rawValue)
                try participant.run()
                participantIDs[person.name] = db.lastInsertedRowID
            }
            let utterance = try PreparedStatement(
                db,
                sql: """
                    INSERT INTO utterances(transcript_id, participant_id, position, speaker_label, role, section, text,
                                           source_line, source_path)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let sentence = try PreparedStatement(
                db,
                sql: """
                    INSERT INTO sentences(utterance_id, transcript_id, position, start_offset, end_offset, text)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for (position, turn) in transcript.utterances.enumerated() {
                var speakerID = participantIDs[turn.speaker]
                if speakerID == nil {
                    // A speaker the reader did not list: add them, so every turn has its participant.
                    participant.bind(1, transcriptID)
                    participant.bind(2, participantIDs.count)
                    participant.bind(3, turn.speaker)
                    participant.bind(4, nil as String?)
                    participant.bind(5, nil as String?)
                    participant.bind(6, turn.role.rawValue)
                    try participant.run()
                    speakerID = db.lastInsertedRowID
                    participantIDs[turn.speaker] = speakerID
                }
                utterance.bind(1, transcriptID)
                utterance.bind(2, speakerID)
                utterance.bind(3, position)
                utterance.bind(4, turn.speakerLabel)
                utterance.bind(5, turn.role.rawValue)
                utterance.bind(6, turn.section.rawValue)
                utterance.bind(7, turn.text)
                utterance.bind(8, turn.location.line)
                utterance.bind(9, turn.location.xpath)
                try utterance.run()
                let utteranceID = db.lastInsertedRowID
                for piece in turn.sentences {
                    sentence.bind(1, utteranceID)
                    sentence.bind(2, transcriptID)
                    sentence.bind(3, piece.index)
                    sentence.bind(4, piece.start)
                    sentence.bind(5, piece.end)
                    sentence.bind(6, piece.text)
                    try sentence.run()
                }
            }
            return TranscriptImportOutcome(
                documentID: documentID, transcriptID: transcriptID, status: status,
                utterances: transcript.utterances.count, sentences: sentenceCount)
        }
    }

    /// The columns of `findoc query calls`, in order. Stable: later versions only append. Documented in
    /// `Schemas/export/calls.md` and its JSON Schema.
    public static let callColumns = [
        "call_id", "document_id", "source_path", "layout", "company", "ticker", "fiscal_year", "fiscal_quarter",
        "call_date", "participants", "utterances", "sentences", "qa_start", "sentiment_labelled", "sentiment_mean",
        "sentiment_model",
    ]

    /// The columns of `findoc query utterances`, in order (stable; see `Schemas/export/utterances.md`).
    public static let utteranceColumns = [
        "utterance_id", "call_id", "position", "speaker", "speaker_label", "role", "section", "sentences",
        "source_line", "source_path", "text",
    ]

    /// The columns of `findoc query sentences`, in order (stable; see `Schemas/export/sentences.md`).
    public static let sentenceColumns = [
        "sentence_id", "call_id", "utterance_id", "utterance_position", "sentence_index", "speaker", "role", "section",
        "start_offset", "end_offset", "text",
    ]

    /// Streams one row per stored call into `sink`, with counts of participants, utterances and sentences, and the
    /// sentences with a sentiment label, their mean score and the model that gave them.
    @discardableResult
    public func calls(into sink: RowSink) throws -> Int {
        // Sentiment columns count one model per call: the model of the call's newest sentiment prediction (see
        // `latestSentimentSQL`, whose one parameter is bound to NULL here).
        try streamRows(
            sql: """
                WITH latest AS (\(Self.latestSentimentSQL))
                SELECT t.id, t.document_id, d.path, t.layout, t.company, t.ticker, t.fiscal_year, t.fiscal_quarter,
                       t.call_date,
                       (SELECT COUNT(*) FROM participants p WHERE p.transcript_id = t.id),
                       (SELECT COUNT(*) FROM utterances u WHERE u.transcript_id = t.id),
                       (SELECT COUNT(*) FROM sentences s WHERE s.transcript_id = t.id),
                       (SELECT MIN(u.position) FROM utterances u WHERE u.transcript_id = t.id AND u.section = 'qa'),
                       (SELECT COUNT(*) FROM latest l WHERE l.transcript_id = t.id),
                       (SELECT AVG(l.score) FROM latest l WHERE l.transcript_id = t.id),
                       (SELECT l.model_id FROM latest l WHERE l.transcript_id = t.id LIMIT 1)
                FROM transcripts t JOIN documents d ON d.id = t.document_id
                ORDER BY t.id
                """, arguments: [String?.none], columns: Self.callColumns, into: sink)
    }

    /// Whether a call with this id is stored.
    public func callExists(_ id: Int64) throws -> Bool {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transcripts WHERE id = ?", arguments: [id]) != nil }
    }

    /// Streams the turns of call `id`, in spoken order, into `sink`.
    @discardableResult
    public func utterances(call id: Int64, into sink: RowSink) throws -> Int {
        try streamRows(
            sql: """
                SELECT u.id, u.transcript_id, u.position, p.name, u.speaker_label, u.role, u.section,
                       (SELECT COUNT(*) FROM sentences s WHERE s.utterance_id = u.id),
                       u.source_line, u.source_path, u.text
                FROM utterances u JOIN participants p ON p.id = u.participant_id
                WHERE u.transcript_id = ?
                ORDER BY u.position
                """, arguments: [id], columns: Self.utteranceColumns, into: sink)
    }

    /// Streams the sentences of call `id` into `sink`, in order; `speaker` matches the participant's name or the name
    /// as written (case-insensitive, a part is enough), `section` is `prepared` or `qa`.
    @discardableResult
    public func sentences(call id: Int64, speaker: String? = nil, section: TranscriptSection? = nil, into sink: RowSink)
        throws -> Int
    {
        var sql = """
            SELECT s.id, s.transcript_id, s.utterance_id, u.position, s.position, p.name, u.role, u.section,
                   s.start_offset, s.end_offset, s.text
            FROM sentences s JOIN utterances u ON u.id = s.utterance_id JOIN participants p ON p.id = u.participant_id
            WHERE s.transcript_id = ?
            """
        var arguments: StatementArguments = [id]
        if let speaker {
            sql += " AND (p.name LIKE ? ESCAPE '\\' OR u.speaker_label LIKE ? ESCAPE '\\')"
            let pattern = "%" + Self.likeEscaped(speaker) + "%"
            arguments += [pattern, pattern]
        }
        if let section {
            sql += " AND u.section = ?"
            arguments += [section.rawValue]
        }
        sql += " ORDER BY u.position, s.position"
        return try streamRows(sql: sql, arguments: arguments, columns: Self.sentenceColumns, into: sink)
    }

    private func streamRows(sql: String, arguments: StatementArguments, columns: [String], into sink: RowSink) throws
        -> Int
    {
        try queue.read { db in
            try sink.begin(columns: columns)
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var count = 0
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(row.count)
                for value in row.databaseValues {
                    switch value.storage {
                    case .null: cells.append(.null)
                    case let .int64(v): cells.append(.integer(v))
                    case let .double(v): cells.append(.real(v))
                    case let .string(v): cells.append(.text(v))
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
}
