import FinDocCore
import GRDB

extension Store {
    /// The de-duplication key of an invoice: the seller (VAT id, else legal id, else name, case-folded), the number,
    /// the type code, the issue date and the amount due. The same invoice sent twice in different files
    /// (re-exported, or once as UBL and once as CII) has the same key even though the file bytes differ; the date
    /// and amount keep apart two different invoices that reuse a number (test suites do, and so do some sellers).
    public static func invoiceKey(_ invoice: Invoice) -> String {
        let seller = invoice.seller.vatID ?? invoice.seller.legalID ?? invoice.seller.name ?? ""
        let normalisedSeller = String(seller.lowercased().filter { !$0.isWhitespace })
        let payable = invoice.totals.payableAmount.map { $0.normalized.description } ?? ""
        return [normalisedSeller, invoice.number, invoice.typeCode ?? "", invoice.issueDate?.iso ?? "", payable]
            .joined(separator: "|")
    }

    /// Stores one invoice file — document row, findings, invoice, parties, lines, allowances/charges and VAT
    /// breakdown — in one SQLite transaction, so a crash leaves all of it or none.
    ///
    /// An invoice whose key (`invoiceKey`) is already stored is not stored again: the document is recorded with a
    /// `invoice.duplicate` note naming the earlier one. A document that failed before is replaced.
    public func importInvoice(_ item: InvoiceImport) throws -> InvoiceImportOutcome {
        try queue.write { db in
            let writer = try InvoiceWriter(db: db)
            return try importInvoice(item, in: db, writer: writer, failedBefore: try writer.failedDocument(item.sha256))
        }
    }

    /// Stores several invoice files in one SQLite transaction and returns one result per item in order.
    ///
    /// Why one transaction: a commit (with its WAL sync) per small invoice was most of the cost of a 10,000-invoice
    /// folder. Each document stays all-or-nothing: an item that throws is reported as `.failed` while the others are
    /// kept. A crash before the commit loses the whole group but leaves the store consistent, and a re-run stores it
    /// then. An item whose bytes are already stored (also earlier in this same group) is `.alreadyStored` and not
    /// written again. Throws only when the group's transaction itself fails, in which case nothing of the group was
    /// stored.
    ///
    /// The group is first written without savepoints. A savepoint makes SQLite copy every page it changes into a
    /// temporary sub-journal before changing it: 470 MB of writes to `/var/tmp` for 2,000 invoices whose store is
    /// 5.9 MB (strace), and a 10,000-invoice ingest spent 1.4–2.6 s in the kernel with them, 0.7–1.1 s without.
    /// Only when an item throws is that transaction rolled back and the group written again with a savepoint per
    /// item, which isolates the failure.
    public func importInvoices(_ items: [InvoiceImport]) throws -> [InvoiceBatchResult] {
        if let results = try? importInvoiceGroup(items, savepoints: false) { return results }
        return try importInvoiceGroup(items, savepoints: true)
    }

    /// The group in one transaction. Without `savepoints`, an item that throws makes the whole call throw (and store
    /// nothing); with them, that item alone is rolled back to its savepoint and reported as `.failed`.
    private func importInvoiceGroup(_ items: [InvoiceImport], savepoints: Bool) throws -> [InvoiceBatchResult] {
        try queue.write { db in
            var results: [InvoiceBatchResult] = []
            results.reserveCapacity(items.count)
            let writer = try InvoiceWriter(db: db)
            for item in items {
                let known = try writer.document(item.sha256)
                if let known, known.status != .failed {
                    results.append(.alreadyStored(previousPath: known.path))
                    continue
                }
                guard savepoints else {
                    results.append(.stored(try importInvoice(item, in: db, writer: writer, failedBefore: known?.id)))
                    continue
                }
                var outcome: InvoiceImportOutcome?
                do {
                    try db.inSavepoint {
                        outcome = try importInvoice(item, in: db, writer: writer, failedBefore: known?.id)
                        return .commit
                    }
                    if let outcome {
                        results.append(.stored(outcome))
                    } else {
                        results.append(.failed(StoreError.unreadable(path: item.path, reason: "import did not complete")))
                    }
                } catch {
                    results.append(.failed(error))
                }
            }
            return results
        }
    }

    /// The body of `importInvoice`, inside a transaction or savepoint the caller opened; `failedBefore` is the id of
    /// the failed document with these bytes, which this one replaces.
    ///
    /// Every statement here is prepared once per group by `InvoiceWriter` and bound directly: through GRDB's cached
    /// statements and `StatementArguments`, the six small statements around an invoice (look-ups, the document row,
    /// its findings and a closing update) cost about as much as writing the invoice itself (callgrind, 500 UBL
    /// invoices). The document row is written with its final counts, so it needs no update afterwards.
    private func importInvoice(_ item: InvoiceImport, in db: Database, writer: InvoiceWriter, failedBefore: Int64?)
        throws -> InvoiceImportOutcome
    {
        // A document that failed before is replaced. The DELETEs run only when there is one: with cascading foreign
        // keys SQLite re-prepares a DELETE at every execution (perf: sqlite3Reprepare under sqlite3_step, with
        // GRDB's authorizer on every column), which cost more than storing the invoice.
        if let failedBefore {
            for table in ["diagnostics", "invoices"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE document_id = ?", arguments: [failedBefore])
            }
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [failedBefore])
        }
        let status = item.status
        var outcome = InvoiceImportOutcome(
            documentID: 0, status: status, invoiceID: nil, linesStored: 0, duplicateOf: nil, storeDiagnostics: [])
        var toWrite: (invoice: Invoice, key: String)?
        if let invoice = item.document.invoice {
            let key = Self.invoiceKey(invoice)
            if let existing = try writer.invoice(key: key) {
                outcome.duplicateOf = existing.id
                outcome.storeDiagnostics.append(
                    Diagnostic(
                        .note, code: "invoice.duplicate",
                        message: "invoice \(invoice.number) of this seller is already stored (invoice "
                            + "\(existing.id), from \(existing.path)); not stored again", location: invoice.location))
            } else {
                toWrite = (invoice, key)
                outcome.linesStored = invoice.lines.count
            }
        }
        let firstError = item.document.diagnostics.first { $0.severity == .error }
        let documentID = try writer.writeDocument(
            item, status: status, error: firstError.map { "\($0.location): \($0.message)" },
            recordsStored: outcome.linesStored, duplicatesSkipped: outcome.duplicateOf == nil ? 0 : 1)
        outcome.documentID = documentID
        if let toWrite {
            outcome.invoiceID = try writer.write(toWrite.invoice, documentID: documentID, key: toWrite.key)
        }
        for diagnostic in item.document.diagnostics + outcome.storeDiagnostics {
            try writer.diagnostic.write(diagnostic, documentID: documentID)
        }
        return outcome
    }
}

/// What `Store.importInvoices` did with one item of a group.
public enum InvoiceBatchResult: Sendable {
    /// Stored (or recorded as failed or duplicate, as `importInvoice` does).
    case stored(InvoiceImportOutcome)
    /// A document with the same bytes is already stored; nothing was written.
    case alreadyStored(previousPath: String)
    /// Storing this item threw; nothing of it was kept (the rest of its group was).
    case failed(any Error)
}

/// Writes one invoice's rows. Amounts become minor units of the invoice currency (rounded half away from zero
/// when a document gives more decimals than the currency has, which BR-DEC-* findings report).
///
/// The five INSERTs are prepared once per group of invoices through SQLite's C API and bound column by column:
/// GRDB's `StatementArguments` boxed every value, and boxing and unboxing the ~110 values of an average invoice cost
/// more than SQLite's own work (a callgrind profile of 1,000 UBL invoices: 490 M instructions of argument handling
/// against 217 M in `sqlite3_step`).
private final class InvoiceWriter {
    private let invoice: PreparedStatement
    private let party: PreparedStatement
    private let line: PreparedStatement
    private let charge: PreparedStatement
    private let vat: PreparedStatement
    private let documentBySHA: PreparedStatement
    private let invoiceByKey: PreparedStatement
    private let document: PreparedStatement
    /// Findings about the documents written.
    let diagnostic: DiagnosticInsert
    /// The text values of the row being inserted, bound in place (see `RowText`).
    private let text = RowText()
    private let db: Database

    /// Prepares the statements on `db`'s connection; use only inside that access block.
    init(db: Database) throws {
        self.db = db
        invoice = try PreparedStatement(
            db,
            sql: """
                INSERT INTO invoices(document_id, syntax, number, type_code, is_credit_note, issue_date, due_date,
                    tax_point_date, period_start, period_end, currency, currency_digits, vat_currency, specification_id,
                    process_id, buyer_reference, project_reference, contract_reference, order_reference,
                    sales_order_reference, accounting_cost, payment_terms, notes, preceding_invoices,
                    remittance_information, creditor_reference, payment_means, seller_name, seller_vat_id, buyer_name,
                    line_net_total_minor, allowance_total_minor, charge_total_minor, tax_exclusive_total_minor,
                    tax_total_minor, tax_total_vat_currency_minor, tax_inclusive_total_minor, prepaid_minor,
                    rounding_minor, third_party_payments_minor, payable_minor, line_count, source_line, source_xpath,
                    dedup_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        party = try PreparedStatement(
            db,
            sql: """
                INSERT INTO invoice_parties(invoice_id, role, name, trading_name, identifiers, legal_id, vat_id,
                    tax_registration_id, electronic_address, address_line1, address_line2, address_line3, city,
                    postcode, subdivision, country, contact_name, contact_phone, contact_email)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        line = try PreparedStatement(
            db,
            sql: """
                INSERT INTO invoice_lines(invoice_id, document_id, position, source_line, source_xpath, line_id,
                    parent_line_id, line_status, note, object_id, quantity, unit_code, net_amount_minor,
                    order_line_reference, accounting_cost, period_start, period_end, net_price, price_discount,
                    gross_price, base_quantity, base_quantity_unit, vat_category, vat_rate, name, description,
                    seller_item_id, buyer_item_id, standard_item_id, classifications, origin_country, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        charge = try PreparedStatement(
            db,
            sql: """
                INSERT INTO invoice_allowances_charges(invoice_id, line_id, position, is_charge, amount_minor,
                    base_amount_minor, percentage, vat_category, vat_rate, reason, reason_code, source_xpath)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        vat = try PreparedStatement(
            db,
            sql: """
                INSERT INTO invoice_vat_breakdown(invoice_id, position, category, rate, taxable_amount_minor,
                    tax_amount_minor, exemption_reason, exemption_reason_code, source_xpath)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        documentBySHA = try PreparedStatement(db, sql: "SELECT id, path, status FROM documents WHERE sha256 = ?")
        invoiceByKey = try PreparedStatement(
            db, sql: "SELECT i.id, d.path FROM invoices i JOIN documents d ON d.id = i.document_id WHERE i.dedup_key = ?")
        document = try PreparedStatement(
            db,
            sql: """
                INSERT INTO documents(sha256, path, format, size_bytes, status, error, records_rejected, records_stored,
                                      duplicates_skipped, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                """)
        diagnostic = try DiagnosticInsert(db)
    }

    /// The stored document with bytes `sha256` (any status), if there is one.
    func document(_ sha256: String) throws -> (id: Int64, path: String, status: DocumentStatus)? {
        documentBySHA.bind(1, sha256)
        return try documentBySHA.firstRow {
            (documentBySHA.int64(0), documentBySHA.text(1), DocumentStatus(rawValue: documentBySHA.text(2)) ?? .failed)
        }
    }

    /// The id of the failed document with bytes `sha256`, if there is one.
    func failedDocument(_ sha256: String) throws -> Int64? {
        guard let found = try document(sha256), found.status == .failed else { return nil }
        return found.id
    }

    /// The stored invoice with de-duplication key `key` and the path of its document, if there is one.
    func invoice(key: String) throws -> (id: Int64, path: String)? {
        invoiceByKey.bind(1, key)
        return try invoiceByKey.firstRow { (invoiceByKey.int64(0), invoiceByKey.text(1)) }
    }

    /// Writes the document row of `item`, with its final status and counts; returns its id.
    func writeDocument(
        _ item: InvoiceImport, status: DocumentStatus, error: String?, recordsStored: Int, duplicatesSkipped: Int
    ) throws -> Int64 {
        var c = Columns(statement: document, text: text)
        c.add(item.sha256)
        c.add(item.path)
        c.add(item.document.format.rawValue)
        c.add(item.sizeBytes)
        c.add(status.rawValue)
        c.add(error)
        c.add(recordsStored)
        c.add(duplicatesSkipped)
        c.add(Timestamp.nowISO())
        try c.run()
        return db.lastInsertedRowID
    }

    /// Binds a statement's parameters in order, from 1; text goes through `text` and is bound in place by `run`.
    private struct Columns {
        let statement: PreparedStatement
        let text: RowText
        var index: Int32 = 0
        init(statement: PreparedStatement, text: RowText) {
            self.statement = statement
            self.text = text
            text.reset()
        }
        /// Binds the text values and runs the statement.
        func run() throws {
            text.bind(to: statement)
            try statement.run()
        }
        mutating func add(_ value: String?) {
            index += 1
            text.add(index, value)
        }
        mutating func add(_ value: Int64?) {
            index += 1
            statement.bind(index, value)
        }
        mutating func add(_ value: Int?) {
            index += 1
            statement.bind(index, value)
        }
        mutating func add(_ value: LocalDate?) {
            index += 1
            text.add(index, value)
        }
        mutating func add(_ value: ExactDecimal?) {
            index += 1
            text.add(index, value?.description)
        }
    }

    /// Writes `invoice` of document `documentID` with de-duplication key `key`; returns the new invoice's row id.
    func write(_ invoice: Invoice, documentID: Int64, key: String) throws -> Int64 {
        let digits = invoice.currency?.minorUnitDigits ?? 2
        func minor(_ value: ExactDecimal?) -> Int64? { value?.rescaled(to: digits)?.significand }
        let t = invoice.totals
        var c = Columns(statement: self.invoice, text: text)
        c.add(documentID)
        c.add(invoice.syntax.rawValue)
        c.add(invoice.number)
        c.add(invoice.typeCode)
        c.add(invoice.isCreditNote ? 1 : 0)
        c.add(invoice.issueDate)
        c.add(invoice.dueDate)
        c.add(invoice.taxPointDate)
        c.add(invoice.periodStart)
        c.add(invoice.periodEnd)
        c.add(invoice.currency?.code)
        c.add(digits)
        c.add(invoice.vatCurrency?.code)
        c.add(invoice.specificationID)
        c.add(invoice.processID)
        c.add(invoice.buyerReference)
        c.add(invoice.projectReference)
        c.add(invoice.contractReference)
        c.add(invoice.orderReference)
        c.add(invoice.salesOrderReference)
        c.add(invoice.accountingCost)
        c.add(invoice.paymentTerms)
        c.add(Self.jsonArray(invoice.notes))
        c.add(Self.jsonArray(invoice.precedingInvoices))
        c.add(invoice.remittanceInformation)
        c.add(invoice.creditorReferenceID)
        c.add(Self.paymentMeansJSON(invoice.paymentMeans))
        c.add(invoice.seller.name)
        c.add(invoice.seller.vatID)
        c.add(invoice.buyer.name)
        c.add(minor(t.lineNetTotal))
        c.add(minor(t.allowanceTotal))
        c.add(minor(t.chargeTotal))
        c.add(minor(t.taxExclusiveTotal))
        c.add(minor(t.taxTotal))
        c.add(t.taxTotalInAccountingCurrency?.rescaled(to: invoice.vatCurrency?.minorUnitDigits ?? 2)?.significand)
        c.add(minor(t.taxInclusiveTotal))
        c.add(minor(t.prepaidAmount))
        c.add(minor(t.roundingAmount))
        c.add(minor(t.thirdPartyPaymentsTotal))
        c.add(minor(t.payableAmount))
        c.add(invoice.lines.count)
        c.add(invoice.location.line)
        c.add(invoice.location.xpath)
        c.add(key)
        try c.run()
        let invoiceID = db.lastInsertedRowID

        var parties: [(String, InvoiceParty)] = [("seller", invoice.seller), ("buyer", invoice.buyer)]
        if let payee = invoice.payee { parties.append(("payee", payee)) }
        for (role, p) in parties {
            var c = Columns(statement: party, text: text)
            c.add(invoiceID)
            c.add(role)
            c.add(p.name)
            c.add(p.tradingName)
            c.add(Self.jsonArray(p.identifiers))
            c.add(p.legalID)
            c.add(p.vatID)
            c.add(p.taxRegistrationID)
            c.add(p.electronicAddress)
            c.add(p.addressLine1)
            c.add(p.addressLine2)
            c.add(p.addressLine3)
            c.add(p.city)
            c.add(p.postcode)
            c.add(p.subdivision)
            c.add(p.country)
            c.add(p.contactName)
            c.add(p.contactPhone)
            c.add(p.contactEmail)
            try c.run()
        }

        func writeCharges(_ items: [InvoiceAllowanceCharge], lineID: Int64?) throws {
            for (position, item) in items.enumerated() {
                var c = Columns(statement: charge, text: text)
                c.add(invoiceID)
                c.add(lineID)
                c.add(position)
                c.add(item.isCharge ? 1 : 0)
                c.add(minor(item.amount))
                c.add(minor(item.baseAmount))
                c.add(item.percentage)
                c.add(item.vatCategory)
                c.add(item.vatRate)
                c.add(item.reason)
                c.add(item.reasonCode)
                c.add(item.xpath)
                try c.run()
            }
        }
        try writeCharges(invoice.allowancesCharges, lineID: nil)
        for (position, l) in invoice.lines.enumerated() {
            var attributes = [UInt8]("{".utf8)
            for (index, attribute) in l.attributes.enumerated() {
                if index > 0 { attributes.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(attribute.name, to: &attributes)
                attributes.append(UInt8(ascii: ":"))
                JSONText.appendQuoted(attribute.value, to: &attributes)
            }
            attributes.append(UInt8(ascii: "}"))
            var c = Columns(statement: line, text: text)
            c.add(invoiceID)
            c.add(documentID)
            c.add(position)
            c.add(l.location.line)
            c.add(l.location.xpath)
            c.add(l.id)
            c.add(l.parentLineID)
            c.add(l.lineStatusCode)
            c.add(l.note)
            c.add(l.objectID)
            c.add(l.quantity)
            c.add(l.unitCode)
            c.add(minor(l.netAmount))
            c.add(l.orderLineReference)
            c.add(l.accountingCost)
            c.add(l.periodStart)
            c.add(l.periodEnd)
            c.add(l.netPrice)
            c.add(l.priceDiscount)
            c.add(l.grossPrice)
            c.add(l.baseQuantity)
            c.add(l.baseQuantityUnitCode)
            c.add(l.vatCategory)
            c.add(l.vatRate)
            c.add(l.name)
            c.add(l.description)
            c.add(l.sellerItemID)
            c.add(l.buyerItemID)
            c.add(l.standardItemID)
            c.add(Self.jsonArray(l.classifications))
            c.add(l.originCountry)
            c.add(String(decoding: attributes, as: UTF8.self))
            try c.run()
            if !l.allowancesCharges.isEmpty { try writeCharges(l.allowancesCharges, lineID: db.lastInsertedRowID) }
        }

        for (position, group) in invoice.vatBreakdown.enumerated() {
            var c = Columns(statement: vat, text: text)
            c.add(invoiceID)
            c.add(position)
            c.add(group.category)
            c.add(group.rate)
            c.add(minor(group.taxableAmount))
            c.add(minor(group.taxAmount))
            c.add(group.exemptionReason)
            c.add(group.exemptionReasonCode)
            c.add(group.xpath)
            try c.run()
        }
        return invoiceID
    }

    static func jsonArray(_ values: [String]) -> String {
        var out = [UInt8]("[".utf8)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func paymentMeansJSON(_ means: [InvoicePaymentMeans]) -> String {
        var out = [UInt8]("[".utf8)
        for (index, item) in means.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            let fields: [(String, String?)] = [
                ("type_code", item.typeCode), ("text", item.text), ("account_id", item.accountID),
                ("account_name", item.accountName), ("service_provider_id", item.serviceProviderID),
                ("mandate_reference", item.mandateReference), ("debited_account_id", item.debitedAccountID),
            ]
            var first = true
            for (name, value) in fields {
                guard let value else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONText.appendQuoted(name, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONText.appendQuoted(value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
