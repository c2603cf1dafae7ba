-- 0003_predictions_labels: what a model or rule said about an item, kept apart from what a person (or the source)
-- says it is. Shared by every labelling task: categories of transactions and invoice lines, sentiment of transcript
-- sentences, and later ones. Items are addressed by kind + id rather than a foreign key per kind, so a new kind of
-- item needs no new table; the store's repositories check that the item exists.

-- One row per (task, item, model). Re-labelling with the same model replaces its row; another model adds a row, so
-- two models can be compared on the same items.
CREATE TABLE predictions (
    id           INTEGER PRIMARY KEY,
    task         TEXT    NOT NULL,                  -- categories | sentiment | ...
    item_kind    TEXT    NOT NULL,                  -- transaction | invoice_line | sentence | ...
    item_id      INTEGER NOT NULL,
    label        TEXT    NOT NULL,                  -- may be UNKNOWN when below the model's threshold
    probability  REAL    NOT NULL,                  -- calibrated probability of label, 0...1
    score        REAL,                              -- a task's own scalar (sentiment: P(pos) - P(neg))
    top_k        TEXT    NOT NULL,                  -- JSON array of {"label": ..., "probability": ...}, best first
    model_id     TEXT    NOT NULL,                  -- bundle name and version, or rules:<file sha256 prefix>
    reason       TEXT,                              -- rule:<name> | model | JSON of the deciding features
    created_at   TEXT    NOT NULL                   -- ISO 8601 UTC
);
CREATE UNIQUE INDEX predictions_item_model ON predictions(task, item_kind, item_id, model_id);

-- A label a person confirmed or corrected (source person), or one that came with the data (source import). A person's
-- label always wins over predictions and is never overwritten by re-labelling; both feed training.
CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    task        TEXT    NOT NULL,
    item_kind   TEXT    NOT NULL,
    item_id     INTEGER NOT NULL,
    label       TEXT    NOT NULL,
    source      TEXT    NOT NULL,                   -- person | import
    note        TEXT,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX labels_item ON labels(task, item_kind, item_id);
