import FinDocCore
import Foundation
import GRDB

/// An invoice line as labelling and training need it: its texts, its exact amount and, for training, its label.
public struct LabellingInvoiceLine: Hashable, Sendable {
    /// The line id (invoice_lines.id).
    public var id: Int64
    /// BT-153 item name.
    public var name: String?
    /// BT-154 item description.
    public var description: String?
    /// BT-27 seller name of the invoice.
    public var seller: String?
    /// BT-158 classification codes, each `listID:code` (or the bare code).
    public var classifications: [String]
    /// BT-155, BT-156 and BT-157 item identifiers that are present (seller's, buyer's, standard `scheme:value`).
    public var itemIDs: [String]
    /// BT-131 line net amount in minor units as the document states it.
    public var netAmountMinor: Int64?
    /// Whether the invoice is a credit note (its amounts are owed back to the buyer).
    public var isCreditNote: Bool
    /// Digits of the invoice currency.
    public var currencyDigits: Int
    /// ISO 4217 code of the invoice currency, if stated.
    public var currency: String?
    /// For training: a person's label, else a label imported into `labels`.
    public var label: String?

    /// The amount in the store's transaction convention, seen from the buyer: an invoice line is money out
    /// (negative), a credit-note line money back (positive).
    public var signedAmountMinor: Int64? {
        netAmountMinor.map { isCreditNote ? $0 : -$0 }
    }
}

/// Where `train categories --from-store` takes an invoice line's label from when no person labelled the line (a
/// person's label always wins).
public enum InvoiceLineLabelSource: String, Sendable, CaseIterable {
    /// A label kept in the `labels` table.
    case labels
    /// BT-133, the buyer's accounting reference on the line (UBL `cac:InvoiceLine/cbc:AccountingCost`, CII
    /// `ram:SpecifiedLineTradeSettlement/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID`): the code of the
    /// buyer's own chart of accounts, so invoices a customer has booked become training data. A label kept in
    /// `labels` still serves lines without one.
    case accountingReference = "accounting-reference"
}

extension Store {
    /// Invoice lines by id (missing ids are left out), in id order.
    public func labellingInvoiceLines(ids: [Int64]) throws -> [LabellingInvoiceLine] {
        try queue.read { db in
            var out: [LabellingInvoiceLine] = []
            out.reserveCapacity(ids.count)
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: Self.invoiceLineLabellingSelect() + " WHERE l.id IN (\(marks)) ORDER BY l.id",
                    arguments: StatementArguments(part))
                out += rows.map(Self.labellingInvoiceLine)
            }
            return out
        }
    }

    /// Ids of the invoice lines `filter` selects (its limit ignored), for bulk corrections.
    public func invoiceLineIDs(matching filter: InvoiceFilter) throws -> [Int64] {
        var unlimited = filter
        unlimited.limit = nil
        let sink = IDCollector()
        try invoiceLines(matching: unlimited, columns: ["id"], into: sink)
        return sink.ids
    }

    /// Training rows of the categories task from invoice lines: every line with a person's label or, failing that,
    /// a label from `source` (see ``InvoiceLineLabelSource``). A person's label always wins. In issue-date order.
    public func invoiceLineTrainingRows(source: InvoiceLineLabelSource = .labels) throws -> [LabellingInvoiceLine] {
        let label = Self.invoiceLineLabelSQL(source)
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: Self.invoiceLineLabellingSelect(label: label) + """
                     WHERE \(label) IS NOT NULL
                     ORDER BY i.issue_date, l.id
                    """
            ).map(Self.labellingInvoiceLine)
        }
    }

    /// The label of an invoice line `l`: a person's from `labels` first; then, when asked for, the line's BT-133
    /// buyer accounting reference (trimmed, empty ignored); then any other label kept in `labels`.
    private static func invoiceLineLabelSQL(_ source: InvoiceLineLabelSource) -> String {
        let person = """
            (SELECT x.label FROM labels x WHERE x.task = 'categories' AND x.item_kind = 'invoice_line' AND x.item_id = l.id
             AND x.source = 'person')
            """
        let stored = """
            (SELECT x.label FROM labels x WHERE x.task = 'categories' AND x.item_kind = 'invoice_line' AND x.item_id = l.id
             ORDER BY CASE x.source WHEN 'person' THEN 0 ELSE 1 END LIMIT 1)
            """
        switch source {
        case .labels: return stored
        case .accountingReference: return "COALESCE(\(person), NULLIF(TRIM(l.accounting_cost), ''), \(stored))"
        }
    }

    private static func invoiceLineLabellingSelect(label: String = invoiceLineLabelSQL(.labels)) -> String {
        """
        SELECT l.id, l.name, l.description, i.seller_name, l.classifications, l.seller_item_id, l.buyer_item_id,
               l.standard_item_id, l.net_amount_minor, i.is_credit_note, i.currency_digits, i.currency,
               \(label)
        FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
        """
    }

    private static func labellingInvoiceLine(_ row: Row) -> LabellingInvoiceLine {
        let classifications: String = row[4]
        let itemIDs: [String] = [row[5], row[6], row[7]].compactMap { (value: String?) in
            value.flatMap { $0.isEmpty ? nil : $0 }
        }
        let creditNote: Int = row[9]
        return LabellingInvoiceLine(
            id: row[0], name: row[1], description: row[2], seller: row[3],
            classifications: (try? JSONDecoder().decode([String].self, from: Data(classifications.utf8))) ?? [], itemIDs: itemIDs, netAmountMinor: row[8],
            isCreditNote: creditNote == 1, currencyDigits: row[10], currency: row[11], label: row[12])
    }
}
