-- 0002_pending_replacement: a pending transaction that the bank books later is linked to its booked twin
-- (replaced_by) instead of being counted twice. Queries, exports and totals leave replaced rows out by default.
ALTER TABLE transactions ADD COLUMN replaced_by INTEGER REFERENCES transactions(id);

-- Open pending rows are few; this partial index finds them by account and amount when a booked row arrives.
CREATE INDEX transactions_open_pending ON transactions(account_id, amount_minor)
    WHERE booking_status = 'pending' AND replaced_by IS NULL;
