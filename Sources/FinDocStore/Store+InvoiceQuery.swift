import FinDocCore
import GRDB

extension Store {
    /// The columns of `findoc query invoices --format csv|jsonl`, in order. Stable: later versions only append.
    public static let invoiceColumns = [
        "id", "document_id", "source_path", "syntax", "number", "type_code", "is_credit_note", "issue_date",
        "due_date", "currency", "seller_name", "seller_vat_id", "buyer_name", "line_count", "line_net_total",
        "allowance_total", "charge_total", "tax_exclusive_total", "tax_total", "tax_inclusive_total", "prepaid_amount",
        "payable_amount", "order_reference", "buyer_reference", "specification_id", "status", "errors",
    ]

    /// The columns of the invoices table view.
    public static let invoiceTableColumns = [
        "id", "issue_date", "number", "seller_name", "buyer_name", "currency", "payable_amount", "line_count", "errors",
    ]

    /// The columns of `findoc query invoice-lines --format csv|jsonl` and `findoc export invoice-lines`, in order.
    /// Stable: later versions only append. Documented in `Schemas/export/invoice-lines.md` and its JSON Schema.
    public static let invoiceLineColumns = [
        "id", "invoice_id", "document_id", "source_path", "source_xpath", "invoice_number", "issue_date", "type_code",
        "is_credit_note", "currency", "seller_name", "seller_vat_id", "buyer_name", "position", "line_id", "name",
        "description", "note", "quantity", "unit_code", "net_price", "base_quantity", "net_amount", "signed_net_amount",
        "vat_category", "vat_rate", "seller_item_id", "buyer_item_id", "standard_item_id", "classifications",
        "origin_country", "accounting_cost", "order_line_reference", "period_start", "period_end", "parent_line_id",
        "line_status", "attributes", "category", "category_source",
    ]

    /// The columns of the invoice-lines table view.
    public static let invoiceLineTableColumns = [
        "id", "issue_date", "invoice_number", "seller_name", "name", "quantity", "unit_code", "net_amount", "currency",
        "category",
    ]

    /// WHERE clause and arguments for `filter` over invoices aliased `i` and, for line queries, lines aliased
    /// `line` (nil: the text filter asks for any line of the invoice).
    private static func invoiceWhere(_ filter: InvoiceFilter, line: String? = nil) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let seller = filter.seller {
            clauses.append("(i.seller_name LIKE ? ESCAPE '\\' OR i.seller_vat_id = ?)")
            _ = arguments.append(contentsOf: ["%" + Self.likePattern(seller) + "%", seller])
        }
        if let from = filter.from {
            clauses.append("i.issue_date >= ?")
            _ = arguments.append(contentsOf: [from.iso])
        }
        if let to = filter.to {
            clauses.append("i.issue_date <= ?")
            _ = arguments.append(contentsOf: [to.iso])
        }
        if let number = filter.invoiceNumber {
            clauses.append("i.number = ?")
            _ = arguments.append(contentsOf: [number])
        }
        if let text = filter.text {
            let alias = line ?? "x"
            let match = ["name", "description", "note"].map { "\(alias).\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ")
            clauses.append(
                line == nil ? "EXISTS (SELECT 1 FROM invoice_lines x WHERE x.invoice_id = i.id AND (\(match)))" : "(\(match))")
            let pattern = "%" + Self.likePattern(text) + "%"
            _ = arguments.append(contentsOf: [pattern, pattern, pattern])
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    private static func likePattern(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Streams the invoices that `filter` selects into `sink`, by issue date then id.
    ///
    /// - Parameter columns: a subset of `invoiceColumns` (default: all of them).
    /// - Returns: the number of rows written.
    @discardableResult
    public func invoices(
        matching filter: InvoiceFilter, columns: [String] = Store.invoiceColumns, into sink: RowSink
    ) throws -> Int {
        let (whereClause, arguments) = Self.invoiceWhere(filter)
        let limit = filter.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        let sql = """
            SELECT i.id, i.document_id, d.path, i.syntax, i.number, i.type_code, i.is_credit_note, i.issue_date,
                   i.due_date, i.currency, i.seller_name, i.seller_vat_id, i.buyer_name, i.line_count,
                   i.line_net_total_minor, i.allowance_total_minor, i.charge_total_minor, i.tax_exclusive_total_minor,
                   i.tax_total_minor, i.tax_inclusive_total_minor, i.prepaid_minor, i.payable_minor,
                   i.order_reference, i.buyer_reference, i.specification_id, d.status,
                   (SELECT COUNT(*) FROM diagnostics g WHERE g.document_id = i.document_id AND g.severity = 'error'),
                   i.currency_digits
            FROM invoices i JOIN documents d ON d.id = i.document_id
            \(whereClause)
            ORDER BY i.issue_date, i.id\(limit)
            """
        return try queue.read { db in
            let selected = columns.compactMap { Self.invoiceColumns.firstIndex(of: $0) }
            try sink.begin(columns: selected.map { Self.invoiceColumns[$0] })
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var count = 0
            while let row = try cursor.next() {
                let digits: Int = row[27]
                let values = Array(row.databaseValues)
                var all: [Cell] = []
                all.reserveCapacity(Self.invoiceColumns.count)
                for index in 0..<27 {
                    switch index {
                    case 14...21: all.append(Self.amount(row[index], digits: digits))
                    default: all.append(Self.cell(values[index]))
                    }
                }
                try sink.row(selected.map { all[$0] })
                count += 1
            }
            try sink.end()
            return count
        }
    }

    /// Streams the invoice lines of the invoices that `filter` selects into `sink`, by issue date, invoice and
    /// position. `limit` counts lines.
    @discardableResult
    public func invoiceLines(
        matching filter: InvoiceFilter, columns: [String] = Store.invoiceLineColumns, into sink: RowSink
    ) throws -> Int {
        let (whereClause, arguments) = Self.invoiceWhere(filter, line: "l")
        let limit = filter.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        // The category subqueries run only when a category column is asked for.
        let categories = columns.contains("category") || columns.contains("category_source")
        let sql = """
            SELECT l.id, l.invoice_id, l.document_id, d.path, l.source_xpath, i.number, i.issue_date, i.type_code,
                   i.is_credit_note, i.currency, i.seller_name, i.seller_vat_id, i.buyer_name, l.position, l.line_id,
                   l.name, l.description, l.note, l.quantity, l.unit_code, l.net_price, l.base_quantity,
                   l.net_amount_minor, l.net_amount_minor, l.vat_category, l.vat_rate, l.seller_item_id,
                   l.buyer_item_id, l.standard_item_id, l.classifications, l.origin_country, l.accounting_cost,
                   l.order_line_reference, l.period_start, l.period_end, l.parent_line_id, l.line_status, l.attributes,
                   i.currency_digits, \(categories ? Self.categoryLabelSQL(kind: "invoice_line", alias: "l") : "NULL"),
                   \(categories ? Self.categorySourceSQL(kind: "invoice_line", alias: "l") : "NULL")
            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN documents d ON d.id = l.document_id
            \(whereClause)
            ORDER BY i.issue_date, i.id, l.position\(limit)
            """
        return try queue.read { db in
            let selected = columns.compactMap { Self.invoiceLineColumns.firstIndex(of: $0) }
            try sink.begin(columns: selected.map { Self.invoiceLineColumns[$0] })
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var count = 0
            while let row = try cursor.next() {
                let digits: Int = row[38]
                let creditNote: Int = row[8]
                let values = Array(row.databaseValues)
                var all: [Cell] = []
                all.reserveCapacity(Self.invoiceLineColumns.count)
                for index in 0..<38 {
                    switch index {
                    case 22: all.append(Self.amount(row[index], digits: digits))
                    case 23:
                        let minor: Int64? = row[index]
                        all.append(Self.amount(minor.map { creditNote == 1 ? -$0 : $0 }, digits: digits))
                    case 29, 37: all.append(values[index].isNull ? .null : .json(String.fromDatabaseValue(values[index]) ?? ""))
                    default: all.append(Self.cell(values[index]))
                    }
                }
                all.append(Self.cell(values[39]))
                all.append(Self.cell(values[40]))
                try sink.row(selected.map { all[$0] })
                count += 1
            }
            try sink.end()
            return count
        }
    }

    private static func amount(_ minor: Int64?, digits: Int) -> Cell {
        guard let minor else { return .null }
        return .decimal(Money.format(minorUnits: minor, digits: digits))
    }

    private static func cell(_ value: DatabaseValue) -> Cell {
        switch value.storage {
        case .null: .null
        case let .int64(v): .integer(v)
        case let .double(v): .real(v)
        case let .string(v): .text(v)
        case .blob: .null
        }
    }
}
