-- 0007_statement_balances: every balance a statement reports, not only the opening and closing booked balances kept
-- on statements: available (MT940 :64:, OFX AVAILBAL, camt CLAV), forward available (:65:, FWAV), interim (ITBD,
-- ITAV) and any other type code. Portable SQL: plain types, explicit keys. Money is exact: integer minor units plus
-- the ISO 4217 currency and its number of minor digits; negative means a debit balance (an overdrawn account).

-- One row per balance, in source order within its statement (position). kind is the meaning normalised across
-- formats; code is the type as the source writes it (60F, 64, LEDGERBAL, CLAV, $).
CREATE TABLE statement_balances (
    id               INTEGER PRIMARY KEY,
    statement_id     INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,             -- 0-based order within the statement
    kind             TEXT    NOT NULL,             -- opening | closing | opening_available | available |
                                                   -- forward_available | interim_booked | interim_available | other
    code             TEXT    NOT NULL,
    amount_minor     INTEGER NOT NULL,
    currency         TEXT    NOT NULL,
    currency_digits  INTEGER NOT NULL,
    balance_date     TEXT,                         -- YYYY-MM-DD, when the source gives one
    source_line      INTEGER,                      -- 1-based line where the balance is written
    source_xpath     TEXT                          -- for XML sources
);
CREATE INDEX statement_balances_statement ON statement_balances(statement_id);
