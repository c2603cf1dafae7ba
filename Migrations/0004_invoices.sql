-- 0004_invoices: electronic invoices (UBL 2.1, UN/CEFACT CII) in the EN 16931 model: one row per invoice, its parties,
-- lines, allowances and charges, and VAT breakdown. Rule findings go to the diagnostics table of 0001.
-- Money is exact: integer minor units in the invoice currency (currency + currency_digits on the invoice). Quantities,
-- prices and rates keep the decimals they were written with, as decimal TEXT (never floating point).
-- Amounts are stored as the document states them; is_credit_note says when they mean money owed back to the buyer.

-- One invoice or credit note per document.
CREATE TABLE invoices (
    id                         INTEGER PRIMARY KEY,
    document_id                INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    syntax                     TEXT    NOT NULL,    -- ubl-invoice | ubl-creditnote | cii
    number                     TEXT    NOT NULL,    -- BT-1
    type_code                  TEXT,                -- BT-3 (UNTDID 1001: 380, 381, 384, 389, ...)
    is_credit_note             INTEGER NOT NULL,    -- 1 for credit-note type codes (81, 83, 381, 396, 532)
    issue_date                 TEXT,                -- BT-2, YYYY-MM-DD
    due_date                   TEXT,                -- BT-9
    tax_point_date             TEXT,                -- BT-7
    period_start               TEXT,                -- BT-73
    period_end                 TEXT,                -- BT-74
    currency                   TEXT,                -- BT-5
    currency_digits            INTEGER NOT NULL,    -- minor-unit digits of currency (2 when it is missing)
    vat_currency               TEXT,                -- BT-6
    specification_id           TEXT,                -- BT-24 (names the profile: XRechnung, PEPPOL, Factur-X ...)
    process_id                 TEXT,                -- BT-23
    buyer_reference            TEXT,                -- BT-10
    project_reference          TEXT,                -- BT-11
    contract_reference         TEXT,                -- BT-12
    order_reference            TEXT,                -- BT-13
    sales_order_reference      TEXT,                -- BT-14
    accounting_cost            TEXT,                -- BT-19
    payment_terms              TEXT,                -- BT-20
    notes                      TEXT    NOT NULL,    -- BT-22, JSON array of strings
    preceding_invoices         TEXT    NOT NULL,    -- BT-25, JSON array of strings
    remittance_information     TEXT,                -- BT-83
    creditor_reference         TEXT,                -- BT-90
    payment_means              TEXT    NOT NULL,    -- BG-16, JSON array of objects
    seller_name                TEXT,                -- BT-27 (also in invoice_parties; here for filters)
    seller_vat_id              TEXT,                -- BT-31
    buyer_name                 TEXT,                -- BT-44
    line_net_total_minor       INTEGER,             -- BT-106
    allowance_total_minor      INTEGER,             -- BT-107
    charge_total_minor         INTEGER,             -- BT-108
    tax_exclusive_total_minor  INTEGER,             -- BT-109
    tax_total_minor            INTEGER,             -- BT-110
    tax_total_vat_currency_minor INTEGER,           -- BT-111, in vat_currency
    tax_inclusive_total_minor  INTEGER,             -- BT-112
    prepaid_minor              INTEGER,             -- BT-113
    rounding_minor             INTEGER,             -- BT-114
    third_party_payments_minor INTEGER,             -- XRechnung BG-DEX-09
    payable_minor              INTEGER,             -- BT-115
    line_count                 INTEGER NOT NULL,
    source_line                INTEGER,
    source_xpath               TEXT,
    dedup_key                  TEXT    NOT NULL     -- seller (VAT id, else legal id, else name)|number|type|issue date|due
);
CREATE UNIQUE INDEX invoices_dedup ON invoices(dedup_key);
CREATE INDEX invoices_document ON invoices(document_id);
CREATE INDEX invoices_issue_date ON invoices(issue_date);

-- The seller (BG-4), buyer (BG-7) and payee (BG-10) of an invoice.
CREATE TABLE invoice_parties (
    id                   INTEGER PRIMARY KEY,
    invoice_id           INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    role                 TEXT    NOT NULL,          -- seller | buyer | payee
    name                 TEXT,
    trading_name         TEXT,
    identifiers          TEXT    NOT NULL,          -- JSON array of strings (BT-29 / BT-46 / BT-60)
    legal_id             TEXT,
    vat_id               TEXT,
    tax_registration_id  TEXT,
    electronic_address   TEXT,
    address_line1        TEXT,
    address_line2        TEXT,
    address_line3        TEXT,
    city                 TEXT,
    postcode             TEXT,
    subdivision          TEXT,
    country              TEXT,
    contact_name         TEXT,
    contact_phone        TEXT,
    contact_email        TEXT
);
CREATE INDEX invoice_parties_invoice ON invoice_parties(invoice_id);

-- One invoice line (BG-25): the item the category task labels (item_kind 'invoice_line' in predictions/labels).
CREATE TABLE invoice_lines (
    id                    INTEGER PRIMARY KEY,
    invoice_id            INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    document_id           INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position              INTEGER NOT NULL,         -- 0-based order in the invoice
    source_line           INTEGER,
    source_xpath          TEXT,
    line_id               TEXT    NOT NULL,         -- BT-126
    parent_line_id        TEXT,                     -- CII EXTENDED sub-lines
    line_status           TEXT,                     -- CII EXTENDED: DETAIL | GROUP | INFORMATION
    note                  TEXT,                     -- BT-127
    object_id             TEXT,                     -- BT-128
    quantity              TEXT,                     -- BT-129, exact decimal
    unit_code             TEXT,                     -- BT-130
    net_amount_minor      INTEGER,                  -- BT-131, in the invoice currency
    order_line_reference  TEXT,                     -- BT-132
    accounting_cost       TEXT,                     -- BT-133
    period_start          TEXT,                     -- BT-134
    period_end            TEXT,                     -- BT-135
    net_price             TEXT,                     -- BT-146, exact decimal
    price_discount        TEXT,                     -- BT-147
    gross_price           TEXT,                     -- BT-148
    base_quantity         TEXT,                     -- BT-149
    base_quantity_unit    TEXT,                     -- BT-150
    vat_category          TEXT,                     -- BT-151
    vat_rate              TEXT,                     -- BT-152, percent
    name                  TEXT,                     -- BT-153
    description           TEXT,                     -- BT-154
    seller_item_id        TEXT,                     -- BT-155
    buyer_item_id         TEXT,                     -- BT-156
    standard_item_id      TEXT,                     -- BT-157 (scheme:value)
    classifications       TEXT    NOT NULL,         -- BT-158, JSON array of "listID:code"
    origin_country        TEXT,                     -- BT-159
    attributes            TEXT    NOT NULL          -- BG-32, JSON object name -> value
);
CREATE INDEX invoice_lines_invoice ON invoice_lines(invoice_id);
CREATE INDEX invoice_lines_document ON invoice_lines(document_id);

-- Allowances and charges: document level (line_id NULL, BG-20/BG-21) or line level (BG-27/BG-28).
CREATE TABLE invoice_allowances_charges (
    id                  INTEGER PRIMARY KEY,
    invoice_id          INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    line_id             INTEGER REFERENCES invoice_lines(id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    is_charge           INTEGER NOT NULL,           -- 0 allowance, 1 charge
    amount_minor        INTEGER,
    base_amount_minor   INTEGER,
    percentage          TEXT,
    vat_category        TEXT,
    vat_rate            TEXT,
    reason              TEXT,
    reason_code         TEXT,
    source_xpath        TEXT
);
CREATE INDEX invoice_allowances_charges_invoice ON invoice_allowances_charges(invoice_id);

-- The VAT breakdown (BG-23).
CREATE TABLE invoice_vat_breakdown (
    id                     INTEGER PRIMARY KEY,
    invoice_id             INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    category               TEXT,                    -- BT-118
    rate                   TEXT,                    -- BT-119
    taxable_amount_minor   INTEGER,                 -- BT-116
    tax_amount_minor       INTEGER,                 -- BT-117
    exemption_reason       TEXT,                    -- BT-120
    exemption_reason_code  TEXT,                    -- BT-121
    source_xpath           TEXT
);
CREATE INDEX invoice_vat_breakdown_invoice ON invoice_vat_breakdown(invoice_id);
