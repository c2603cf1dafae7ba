import ArgumentParser
import FinDocML
import FinDocStore

/// `findoc correct`: a person's label for transactions or invoice lines, by id or by filter.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Set a person's category for transactions or invoice lines; it wins over predictions and feeds training.",
        discussion: """
            A person's label is never overwritten by labelling; a later correction of the same item replaces it. \
            `findoc train categories --from-store` learns from it. --where takes the filter options of \
            `findoc query transactions`, quoted as one argument; with --items invoice-lines it takes those of \
            `findoc query invoice-lines` and labels every line it selects.

            Examples:
              findoc correct --transaction 1234 --label "Vehicle Fuel"
              findoc correct --where "--text shell --from 2017-01-01" --label "Vehicle Fuel"
              findoc correct --where "--account 5770" --label Travel --note "team card"
              findoc correct --invoice-line 17 --invoice-line 18 --label "Office Supplies"
              findoc correct --items invoice-lines --where "--seller 'Muster GmbH' --from 2024-01-01" --label "Office Supplies"
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The transaction id (see findoc query transactions).")
    var transaction: [Int64] = []
    @Option(name: .customLong("invoice-line"), help: "The invoice line id (see findoc query invoice-lines).")
    var invoiceLine: [Int64] = []
    @Option(
        parsing: .unconditional,
        help: "Filter options as in `findoc query transactions` (or `query invoice-lines`), quoted, e.g. \"--text shell --to 2017-06-30\".")
    var `where`: String?
    @Option(help: "What --where selects: transactions or invoice-lines.")
    var items: String = CorrectedItems.transactions.rawValue
    @Option(help: "The label to set.")
    var label: String
    @Option(help: "The labelling task.")
    var task: String = "categories"
    @Option(help: "A note kept with the label.")
    var note: String?

    func validate() throws {
        guard !transaction.isEmpty || !invoiceLine.isEmpty || `where` != nil else {
            throw ValidationError("give --transaction ID, --invoice-line ID or --where \"FILTERS\"")
        }
        guard !label.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--label must not be empty") }
        guard label != CategoryBundle.unknownLabel else { throw ValidationError("--label \(label) is reserved for the model") }
        guard let kind = CorrectedItems(rawValue: items) else {
            throw ValidationError("--items expects transactions or invoice-lines, got \"\(items)\"")
        }
        if let filters = `where` {
            let arguments = try Self.split(filters)
            guard !arguments.isEmpty else { throw ValidationError("--where is empty: give at least one filter option") }
            switch kind {
            case .transactions: _ = try TransactionFilterOptions.parse(arguments)
            case .invoiceLines: _ = try InvoiceFilterOptions.parse(arguments)
            }
        } else if kind != .transactions {
            throw ValidationError("--items applies to --where only")
        }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        var ids = transaction
        var lineIDs = invoiceLine
        if let filters = `where` {
            switch CorrectedItems(rawValue: items) ?? .transactions {
            case .transactions:
                let options = try TransactionFilterOptions.parse(try Self.split(filters))
                ids += try store.transactionIDs(matching: options.filter(limit: nil))
            case .invoiceLines:
                let options = try InvoiceFilterOptions.parse(try Self.split(filters))
                lineIDs += try store.invoiceLineIDs(matching: options.filter(limit: nil))
            }
        }
        let existing = Set(try store.labellingTransactions(ids: ids).map(\.id))
        let missing = ids.filter { !existing.contains($0) }
        for id in missing { Terminal.error("no transaction with id \(id)") }
        let existingLines = Set(try store.labellingInvoiceLines(ids: lineIDs).map(\.id))
        let missingLines = lineIDs.filter { !existingLines.contains($0) }
        for id in missingLines { Terminal.error("no invoice line with id \(id)") }
        var parts: [String] = []
        // A --where over invoice lines that selects nothing still reports "0 invoice lines", not "0 transactions".
        let linesAsked = !invoiceLine.isEmpty || CorrectedItems(rawValue: items) == .invoiceLines
        if !ids.isEmpty || !linesAsked {
            let done = try store.setPersonLabel(
                task: task, itemKind: CategoryItemKind.transaction.rawValue, itemIDs: ids.filter(existing.contains),
                label: label, note: note)
            parts.append("\(Terminal.grouped(done)) transactions")
        }
        if linesAsked {
            let done = try store.setPersonLabel(
                task: task, itemKind: CategoryItemKind.invoiceLine.rawValue,
                itemIDs: lineIDs.filter(existingLines.contains), label: label, note: note)
            parts.append("\(Terminal.grouped(done)) invoice lines")
        }
        Terminal.output("labelled \(parts.joined(separator: " and ")) as \(label)\n")
        if !missing.isEmpty || !missingLines.isEmpty { throw ExitCode.failure }
    }

    /// What `--where` selects.
    enum CorrectedItems: String {
        case transactions
        case invoiceLines = "invoice-lines"
    }

    /// Splits a filter string like a shell would: spaces separate, single or double quotes group.
    static func split(_ text: String) throws -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                if started || !current.isEmpty { out.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
            }
        }
        guard quote == nil else { throw ValidationError("--where has an unclosed quote") }
        if started || !current.isEmpty { out.append(current) }
        return out
    }
}
