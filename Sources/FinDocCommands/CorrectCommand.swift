import ArgumentParser
import FinDocML
import FinDocStore

/// `findoc correct`: a person's label for one transaction or for every transaction a filter selects.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Set a person's category for transactions; it wins over predictions and feeds training.",
        discussion: """
            A person's label is never overwritten by labelling; a later correction of the same item replaces it. \
            `findoc train categories --from-store` learns from it. --where takes the filter options of \
            `findoc query transactions`, quoted as one argument.

            Examples:
              findoc correct --transaction 1234 --label "Vehicle Fuel"
              findoc correct --where "--text shell --from 2017-01-01" --label "Vehicle Fuel"
              findoc correct --where "--account 5770" --label Travel --note "team card"
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The transaction id (see findoc query transactions).")
    var transaction: [Int64] = []
    @Option(
        parsing: .unconditional,
        help: "Filter options as in `findoc query transactions`, quoted, e.g. \"--text shell --to 2017-06-30\".")
    var `where`: String?
    @Option(help: "The label to set.")
    var label: String
    @Option(help: "The labelling task.")
    var task: String = "categories"
    @Option(help: "A note kept with the label.")
    var note: String?

    func validate() throws {
        guard !transaction.isEmpty || `where` != nil else { throw ValidationError("give --transaction ID or --where \"FILTERS\"") }
        guard !label.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--label must not be empty") }
        guard label != CategoryBundle.unknownLabel else { throw ValidationError("--label \(label) is reserved for the model") }
        if let filters = `where` {
            let arguments = try Self.split(filters)
            guard !arguments.isEmpty else { throw ValidationError("--where is empty: give at least one filter option") }
            _ = try TransactionFilterOptions.parse(arguments)
        }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        var ids = transaction
        if let filters = `where` {
            let options = try TransactionFilterOptions.parse(try Self.split(filters))
            ids += try store.transactionIDs(matching: options.filter(limit: nil))
        }
        let existing = Set(try store.labellingTransactions(ids: ids).map(\.id))
        let missing = ids.filter { !existing.contains($0) }
        for id in missing { Terminal.error("no transaction with id \(id)") }
        let done = try store.setPersonLabel(
            task: task, itemKind: CategoryItemKind.transaction.rawValue, itemIDs: ids.filter(existing.contains),
            label: label, note: note)
        Terminal.output("labelled \(Terminal.grouped(done)) transactions as \(label)\n")
        if !missing.isEmpty { throw ExitCode.failure }
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
