-- 0005_transcripts: earnings-call transcripts, their participants, utterances (turns) and sentences.
-- Portable SQL (plain types, explicit keys). Sentences have integer ids so that predictions/labels (0003) can address
-- them with item_kind 'sentence'. Offsets count Unicode code points (Python str indices) into utterances.text.

-- One row per transcript document.
CREATE TABLE transcripts (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    layout          TEXT    NOT NULL,              -- fool-json | fool-text | streetevents | factset | inline | *-html
    company         TEXT,
    ticker          TEXT,
    fiscal_quarter  INTEGER,                       -- 1..4, when the text or file name says so
    fiscal_year     INTEGER,
    call_date       TEXT                           -- YYYY-MM-DD, when the text says so
);

-- Everyone who speaks or is listed, once per transcript whatever the spelling.
CREATE TABLE participants (
    id             INTEGER PRIMARY KEY,
    transcript_id  INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,               -- 0-based order of first mention
    name           TEXT    NOT NULL,
    title          TEXT,
    company        TEXT,
    role           TEXT    NOT NULL                -- operator | executive | analyst | other
);
CREATE INDEX participants_transcript ON participants(transcript_id);

-- One turn: a speaker's words until the next speaker, in spoken order.
CREATE TABLE utterances (
    id              INTEGER PRIMARY KEY,
    transcript_id   INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    position        INTEGER NOT NULL,              -- 0-based turn number in the call
    speaker_label   TEXT    NOT NULL,              -- the name as written at this turn
    role            TEXT    NOT NULL,
    section         TEXT    NOT NULL,              -- prepared | qa
    text            TEXT    NOT NULL,              -- paragraphs separated by a line feed
    source_line     INTEGER,                       -- 1-based line of the speaker line (text layouts)
    source_path     TEXT                           -- JSON path or HTML block (other layouts)
);
CREATE INDEX utterances_transcript ON utterances(transcript_id, position);

-- One sentence of an utterance. start_offset/end_offset: half-open code-point offsets into utterances.text.
CREATE TABLE sentences (
    id              INTEGER PRIMARY KEY,
    utterance_id    INTEGER NOT NULL REFERENCES utterances(id) ON DELETE CASCADE,
    transcript_id   INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,              -- 0-based index within the utterance
    start_offset    INTEGER NOT NULL,
    end_offset      INTEGER NOT NULL,
    text            TEXT    NOT NULL
);
CREATE INDEX sentences_utterance ON sentences(utterance_id, position);
CREATE INDEX sentences_transcript ON sentences(transcript_id);
