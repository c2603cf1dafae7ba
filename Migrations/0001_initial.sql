-- 0001_initial: documents and their findings, accounts, statements, transactions.
-- Portable SQL on purpose (plain types, explicit keys) so a PostgreSQL backend can reuse it. Never edit a released
-- migration: add a new numbered file instead.

-- One row per input file, keyed by the sha256 of its bytes, so a file is never ingested twice.
CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    sha256              TEXT    NOT NULL UNIQUE,
    path                TEXT    NOT NULL,
    format              TEXT,
    profile             TEXT,
    size_bytes          INTEGER NOT NULL,
    status              TEXT    NOT NULL,           -- ingested | partial | failed
    error               TEXT,                       -- first error, when status is partial or failed
    records_stored      INTEGER NOT NULL DEFAULT 0,
    duplicates_skipped  INTEGER NOT NULL DEFAULT 0,
    records_rejected    INTEGER NOT NULL DEFAULT 0,
    ingested_at         TEXT    NOT NULL             -- ISO 8601 UTC
);

-- Errors, warnings and notes about a document, each with its location.
CREATE TABLE diagnostics (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    severity     TEXT    NOT NULL,                   -- error | warning | note
    code         TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    line         INTEGER,
    col          INTEGER,
    xpath        TEXT,
    source_line  TEXT
);
CREATE INDEX diagnostics_document ON diagnostics(document_id);

-- An account as the sources identify it: IBAN, masked card number, or a name given on the command line.
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    identifier  TEXT NOT NULL UNIQUE,
    currency    TEXT,
    created_at  TEXT NOT NULL
);

-- A statement of one account in one document, with its period and balances when the format gives them.
CREATE TABLE statements (
    id                     INTEGER PRIMARY KEY,
    document_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    account_id             INTEGER NOT NULL REFERENCES accounts(id),
    identifier             TEXT,
    currency               TEXT,
    period_start           TEXT,
    period_end             TEXT,
    opening_balance_minor  INTEGER,
    closing_balance_minor  INTEGER
);

-- One bank or card transaction. Money is exact: integer minor units plus the ISO 4217 currency and its number of
-- minor digits; negative means money out of the account.
CREATE TABLE transactions (
    id                     INTEGER PRIMARY KEY,
    document_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    account_id             INTEGER NOT NULL REFERENCES accounts(id),
    statement_id           INTEGER REFERENCES statements(id),
    source_line            INTEGER,                 -- 1-based line of the record in its file
    source_xpath           TEXT,                    -- for XML sources
    position               INTEGER NOT NULL,        -- 0-based order within the document
    booking_date           TEXT    NOT NULL,        -- YYYY-MM-DD
    value_date             TEXT,
    amount_minor           INTEGER NOT NULL,
    currency               TEXT    NOT NULL,
    currency_digits        INTEGER NOT NULL,
    original_amount_minor  INTEGER,
    original_currency      TEXT,
    description            TEXT    NOT NULL,
    payee                  TEXT,
    reference              TEXT,
    bank_id                TEXT,
    booking_status         TEXT    NOT NULL,        -- booked | pending | info
    source_category        TEXT,                    -- a category that came with the source
    dedup_key              TEXT    NOT NULL,        -- b:<bank id> or c:<date|amount|currency|text|occurrence>
    duplicate_of           INTEGER REFERENCES transactions(id),
    raw_fields             TEXT    NOT NULL         -- JSON object: every source field, verbatim
);
-- Only the indexes the import and the common filters need: each extra index on this wide table cost about 15% of
-- bulk-insert time (measured on 200,000 rows); date filters without an account scan, which takes milliseconds.
CREATE UNIQUE INDEX transactions_dedup ON transactions(account_id, dedup_key);
CREATE INDEX transactions_account_date ON transactions(account_id, booking_date);
CREATE INDEX transactions_document ON transactions(document_id);
