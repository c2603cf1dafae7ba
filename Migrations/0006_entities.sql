-- 0006_entities: named entities found in transcript sentences, by a token-classification model (PER, ORG, LOC) or
-- by the deterministic recognisers (MONEY, PERCENT, DATE, TICKER). Portable SQL: plain types, explicit keys.
-- Offsets are half-open Unicode code-point offsets into sentences.text (the unit of 0005's offsets).

-- One row per entity span. model_id names what produced the row: a model bundle's id, or the recognisers' id
-- (e.g. findoc-rules-1) for source 'rule'; a labelling run stores under one labelling id (see entity_runs) and
-- replaces that id's rows of a sentence, so re-runs add nothing twice.
CREATE TABLE entities (
    id              INTEGER PRIMARY KEY,
    sentence_id     INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    transcript_id   INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    run_id          TEXT    NOT NULL,              -- the labelling id whose run stored the row (model id, or model+rules)
    start_offset    INTEGER NOT NULL,
    end_offset      INTEGER NOT NULL,
    entity_type     TEXT    NOT NULL,              -- PER | ORG | LOC | MONEY | PERCENT | DATE | TICKER
    text            TEXT    NOT NULL,
    normalized      TEXT,                          -- 84300000000 USD | 12.5% | 2022-Q3 | FY2023 | 2025-05-12 | NASDAQ:AAPL
    amount          TEXT,                          -- MONEY: exact decimal in major units, e.g. 84300000000 (never REAL)
    currency        TEXT,                          -- MONEY: ISO 4217 code
    amount_minor    INTEGER,                       -- MONEY: amount in minor units when it fits exactly, else NULL
    source          TEXT    NOT NULL,              -- model | rule
    model_id        TEXT    NOT NULL,
    probability     REAL,                          -- model spans: mean word probability; rules: NULL
    UNIQUE (sentence_id, run_id, start_offset, end_offset, entity_type, source, model_id)
);
CREATE INDEX entities_transcript ON entities(transcript_id, entity_type);
CREATE INDEX entities_sentence ON entities(sentence_id, run_id);

-- Which sentences a labelling id has processed (with or without entities found), so a later run skips them; queries
-- show each sentence's entities of its newest run (highest sequence).
CREATE TABLE entity_runs (
    sentence_id     INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    run_id          TEXT    NOT NULL,
    sequence        INTEGER NOT NULL,              -- increases with every write: the newest run of a sentence wins
    labelled_at     TEXT    NOT NULL,              -- ISO 8601 UTC
    entities        INTEGER NOT NULL,
    PRIMARY KEY (sentence_id, run_id)
);
