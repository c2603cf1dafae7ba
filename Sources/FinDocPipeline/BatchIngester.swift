import FinDocCore
import FinDocIngest
import FinDocStore
import Foundation

/// The batch job's first half: files and folders in, documents stored, one SQLite transaction per statement
/// document, and one per group of up to 64 invoices with a savepoint per invoice (each still all-or-nothing).
///
/// Files are read and parsed ahead on persistent worker threads, one per core (`ParseAhead`), while this thread
/// writes. A file that cannot be read, or that is not a supported format, is recorded as failed with its reason and
/// the batch goes on. A batch interrupted at any point (even `kill -9`) leaves a consistent store: every committed
/// document is complete, and re-running the same command finishes the rest (already-stored files are recognised by
/// their sha256 and skipped).
public struct BatchIngester: Sendable {
    /// How files are read.
    public var options: IngestOptions
    /// Called after each file, e.g. to print progress. Runs on the calling thread.
    public var progress: (@Sendable (_ done: Int, _ total: Int, _ file: FileReport) -> Void)?

    /// Creates an ingester.
    public init(options: IngestOptions, progress: (@Sendable (Int, Int, FileReport) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    /// Ingests every file under `paths` into `store` (nil only with `dryRun`).
    public func run(paths: [String], store: Store?) -> BatchReport {
        let started = DispatchTime.now()
        var report = BatchReport()
        let (files, missing) = InputFiles.expand(paths)
        for path in missing {
            report.files.append(
                FileReport(
                    path: path, format: nil, profile: nil, outcome: .unreadable, read: 0, stored: 0,
                    duplicatesSkipped: 0, possibleDuplicates: 0, rejected: 0,
                    diagnostics: [
                        Diagnostic(
                            .error, code: "input.missing", message: "no such file or folder",
                            location: SourceLocation(file: path))
                    ]))
        }
        // Parse ahead on worker threads while this thread writes. Consecutive invoices are stored in groups, one
        // transaction per group and a savepoint per invoice (see `InvoiceGroup`).
        // A camt statement streamed from disk holds only a few chunks, whatever its size.
        let parser = ParseAhead(
            files: files, weight: { $0.stream != nil && $0.format == .camt ? 0 : $0.size },
            parse: { self.parse(path: $0) })
        var group = InvoiceGroup()
        func flush() {
            for file in group.commit(into: store) {
                report.files.append(file)
                progress?(report.files.count - missing.count, files.count, file)
            }
        }
        for (index, path) in files.enumerated() {
            let parsed = parser.take(index)
            if let invoice = parsed.invoice, store != nil, !options.dryRun {
                group.add(invoice, parsed: parsed, path: path, file: fileReport(parsed, path: path))
                if group.isFull { flush() }
                continue
            }
            flush()
            let file = save(parsed, path: path, into: store)
            report.files.append(file)
            progress?(index + 1, files.count, file)
        }
        flush()
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return report
    }

    /// A file read and parsed, not yet stored.
    struct Parsed: Sendable {
        var sha256: String
        var size: Int
        var format: DocumentFormat?
        var document: StatementDocument
        var keys: [String]
        var rawFieldsJSON: [String] = []
        var readError: String?
        /// The invoice read from a UBL or CII file; such files are stored by `Store.importInvoice`.
        var invoice: InvoiceDocument?
        /// Set when the file is a transcript: stored by `Store.importTranscript` instead of as a statement.
        var transcript: TranscriptDocument?
        /// Set when the statement goes to the store in chunks (a large file); `document` is then empty.
        var stream: StatementStream?
    }

    func parse(path: String) -> Parsed {
        if let streamed = parseLargeCAMT(path: path) { return streamed }
        let bytes: [UInt8]
        do {
            bytes = try InputFiles.read(path)
        } catch {
            return Parsed(
                sha256: "", size: 0, format: nil, document: StatementDocument(format: .csv, unreadable: true),
                keys: [], readError: "cannot read the file: \(error)")
        }
        // The digest runs in line: with the SHA extensions it takes about 1 ms a megabyte, less than handing it to
        // another thread cost for a small file, and the parse workers already keep every core busy.
        var parsed = parse(bytes: bytes, path: path)
        parsed.sha256 = SHA256.hex(of: bytes)
        return parsed
    }

    /// A camt file of `IngestOptions.streamingThreshold` bytes or more is hashed and parsed straight from disk, never
    /// held in memory (a 265 MB statement used to cost its size twice over before parsing began); nil for any other
    /// file, which `parse(path:)` reads whole.
    /// With `--validate` and camt schemas loaded the file is read whole instead: validation runs on bytes in memory.
    private func parseLargeCAMT(path: String) -> Parsed? {
        guard options.format == nil || options.format == .camt, options.camtSchemas == nil,
            let head = InputFiles.head(of: path, minimumSize: options.streamingThreshold),
            case .format(.camt) = FormatSniffer.sniff(head)
        else { return nil }
        let unreadable = Parsed(
            sha256: "", size: 0, format: nil, document: StatementDocument(format: .camt, unreadable: true),
            keys: [], readError: "cannot read the file to the end")
        if !options.dryRun && !options.strict {
            // Stored while it is read (see `StatementStream`). The stream starts parsing at once, while this thread
            // hashes the file: the store is asked whether these bytes were stored before only when the writer takes
            // the file, and until then the stream can run ahead by its few bounded chunks only (cancelled if the
            // file turns out to be stored already). Hashing first cost a 265 MB file 0.4 s before its parse began.
            let stream = StatementStream(camtAt: path, account: options.csv.account)
            guard let file = InputFiles.sha256(ofFileAt: path) else {
                stream.cancel()
                return unreadable
            }
            return Parsed(
                sha256: file.sha, size: file.size, format: .camt, document: StatementDocument(format: .camt),
                keys: [], stream: stream)
        }
        let digest = ResultBox<(sha: String, size: Int)?>()
        let hashing = DispatchGroup()
        DispatchQueue.global().async(group: hashing) { digest.set(InputFiles.sha256(ofFileAt: path)) }
        let document = CAMTStatementIngestor(account: options.csv.account).read(fileAt: path)
        hashing.wait()
        guard let file = digest.value ?? nil else { return unreadable }
        var parsed = finish(consume document, format: .camt, transcript: nil)
        parsed.sha256 = file.sha
        parsed.size = file.size
        return parsed
    }

    /// Reads a file held in memory; `sha256` is left for the caller to fill in.
    private func parse(bytes: [UInt8], path: String) -> Parsed {
        let location = SourceLocation(file: path)
        var format = options.format
        var document: StatementDocument
        var transcript: TranscriptDocument?
        let verdict = FormatSniffer.sniff(bytes)
        switch verdict {
        case .empty:
            document = StatementDocument(
                format: format ?? .csv,
                diagnostics: [
                    Diagnostic(
                        .error, code: "input.empty",
                        message: "the file is empty; expected a statement export with a header and rows",
                        location: location)
                ], unreadable: true)
        case .binary where format == nil:
            document = StatementDocument(
                format: .csv,
                diagnostics: [
                    Diagnostic(
                        .error, code: "input.binary",
                        message: "the file is binary data, not a text statement; expected CSV, OFX, QIF, MT940 "
                            + "or XML", location: location)
                ], unreadable: true)
        case .binary, .format:
            let sniffed: DocumentFormat? = if case let .format(f) = verdict { f } else { nil }
            format = format ?? sniffed
            switch format ?? .csv {
            case .csv:
                var profiles = options.extraProfiles
                profiles += CSVProfile.shipped
                let ingestor = CSVStatementIngestor(options: options.csv, profiles: profiles)
                if streams(size: bytes.count) {
                    // Rows are stored while later ones are converted: on 200,000 card rows the conversion was
                    // 0.45 s of wall time before the first row was written.
                    return streamed(.csv, size: bytes.count) { emit in ingestor.stream(bytes, path: path, emit: emit) }
                }
                document = ingestor.read(bytes, path: path)
            case .mt940 where streams(size: bytes.count):
                // Each statement's rows are stored while later statements are read: on 100,000 generated
                // transactions the read was 1.5 s of wall time before the first row was written.
                let ingestor = MT940StatementIngestor(account: options.csv.account)
                return streamed(.mt940, size: bytes.count) { emit in
                    ingestor.stream(bytes, path: path, StatementStream.forwarding(to: emit))
                }
            case .ofx where streams(size: bytes.count):
                // As MT940: rows are stored while the rest is read, in both syntaxes. An OFX 2.x file whose XML
                // breaks after rows were stored is read again whole (see `StatementStream.Abandoned`).
                let ingestor = OFXStatementIngestor(account: options.csv.account)
                return streamed(.ofx, size: bytes.count) { emit in
                    ingestor.stream(bytes, path: path, StatementStream.forwarding(to: emit))
                }
            case .qif:
                document = QIFStatementIngestor(
                    account: options.csv.account, defaultCurrency: options.csv.defaultCurrency,
                    dateOrder: options.csv.dateOrder
                ).read(bytes, path: path)
            case .mt940:
                document = MT940StatementIngestor(account: options.csv.account).read(bytes, path: path)
            case .ofx:
                document = OFXStatementIngestor(account: options.csv.account).read(bytes, path: path)
            case .camt:
                document = CAMTStatementIngestor(account: options.csv.account, schemas: options.camtSchemas).read(bytes, path: path)
            case .ubl, .cii:
                let invoice = InvoiceIngestor(schemas: options.invoiceSchemas).read(bytes, path: path)
                return Parsed(
                    sha256: "", size: bytes.count, format: invoice.format,
                    document: StatementDocument(
                        format: invoice.format, diagnostics: invoice.diagnostics, unreadable: invoice.unreadable),
                    keys: [], invoice: invoice)
            case .transcript:
                let call = TranscriptIngestor().read(bytes, path: path)
                transcript = call
                document = StatementDocument(format: .transcript, diagnostics: call.diagnostics, unreadable: call.unreadable)
            case let other:
                document = StatementDocument(
                    format: other,
                    diagnostics: [
                        Diagnostic(
                            .error, code: "input.unsupported",
                            message: "this looks like a \(other.rawValue) file, which this version of findoc cannot "
                                + "read yet; supported: csv, ofx, qif, mt940, camt, ubl, cii, transcript", location: location)
                    ], unreadable: true)
            }
        }
        if streams(size: bytes.count), transcript == nil, !document.unreadable, !document.transactions.isEmpty {
            // A large statement goes to the store in chunks: its keys and JSON are built while its rows are written.
            return Parsed(
                sha256: "", size: bytes.count, format: format, document: StatementDocument(format: document.format),
                keys: [], stream: StatementStream(document: document))
        }
        var parsed = finish(consume document, format: format, transcript: transcript)
        parsed.size = bytes.count
        return parsed
    }

    /// A statement of `format` that `read` reads on a thread of its own, handing over each transaction as it is
    /// made, while the caller stores it (see `StatementStream`); `read` answers nil when the file must be read whole
    /// instead.
    private func streamed(
        _ format: DocumentFormat, size: Int,
        read: @escaping @Sendable (_ emit: @escaping (Transaction) -> Bool) -> StatementDocument?
    ) -> Parsed {
        Parsed(
            sha256: "", size: size, format: format, document: StatementDocument(format: format), keys: [],
            stream: StatementStream(read: read))
    }

    /// Whether a statement of `size` bytes goes to the store in chunks while it is read (see `StatementStream`): a
    /// strict import is judged on the whole file first, and a dry run stores nothing.
    private func streams(size: Int) -> Bool {
        size >= options.streamingThreshold && !options.dryRun && !options.strict
    }

    /// Builds the dedup keys and raw-field JSON of a parsed document, off the storing thread and side by side on
    /// the two cores, then drops each transaction's raw fields: the JSON is what is stored, and keeping both held
    /// every source field twice until the document was written.
    private func finish(_ document: consuming StatementDocument, format: DocumentFormat?, transcript: TranscriptDocument?)
        -> Parsed
    {
        let keys = ResultBox<[String]>()
        let json = ResultBox<[String]>()
        let encodeJSON = !options.dryRun
        do {
            let transactions = document.transactions
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 {
                    keys.set(DedupKey.keys(for: transactions))
                } else if encodeJSON {
                    var encoder = RawFieldsEncoder()
                    json.set(transactions.map { encoder.encode($0.rawFields) })
                }
            }
        }
        let rawFieldsJSON = json.value ?? []
        if encodeJSON, rawFieldsJSON.count == document.transactions.count {
            var rows = document.transactions
            document.transactions = []
            for index in rows.indices { rows[index].rawFields = [] }
            document.transactions = rows
        }
        return Parsed(
            sha256: "", size: 0, format: format, document: document, keys: keys.value ?? [],
            rawFieldsJSON: rawFieldsJSON, readError: nil, transcript: transcript)
    }

    /// The report of a parsed file before it is stored.
    fileprivate func fileReport(_ parsed: Parsed, path: String) -> FileReport {
        FileReport(
            path: path, format: parsed.format, profile: parsed.document.profile, outcome: .dryRun,
            read: parsed.document.transactions.count, stored: 0, duplicatesSkipped: 0, possibleDuplicates: 0,
            rejected: parsed.document.rejectedRecords, diagnostics: parsed.document.diagnostics)
    }

    private func save(_ parsed: Parsed, path: String, into store: Store?) -> FileReport {
        var file = fileReport(parsed, path: path)
        if let readError = parsed.readError {
            file.outcome = .unreadable
            file.diagnostics = [
                Diagnostic(.error, code: "input.read", message: readError, location: SourceLocation(file: path))
            ]
            return file
        }
        if let invoice = parsed.invoice {
            file.read = invoice.invoice?.lines.count ?? 0
            file.rejected = 0
            return saveInvoice(invoice, parsed: parsed, path: path, into: store, file: file)
        }
        guard let store, !options.dryRun else { return file }
        // However this ends, a streamed statement's reader must not wait for a writer that has moved on.
        defer { parsed.stream?.cancel() }
        do {
            if let known = try store.knownDocument(sha256: parsed.sha256), known.status != .failed {
                file.outcome = .alreadyIngested(previousPath: known.path)
                file.read = 0
                file.rejected = 0
                file.diagnostics = []
                return file
            }
            if let stream = parsed.stream {
                do {
                    return try saveStreamed(stream, parsed: parsed, path: path, into: store)
                } catch is StatementStream.Abandoned {
                    // Nothing of the stream was kept (its transaction rolled back): the file is read whole now.
                    var whole = self
                    whole.options.streamingThreshold = .max
                    return whole.save(whole.parse(path: path), path: path, into: store)
                }
            }
            if let transcript = parsed.transcript {
                let outcome = try store.importTranscript(
                    TranscriptImport(sha256: parsed.sha256, path: path, sizeBytes: parsed.size, document: transcript))
                file.outcome = outcome.status == .failed ? .failed : .stored(outcome.status)
                // read/stored count transactions; a call's counts go in a note instead.
                file.read = 0
                if let call = outcome.transcriptID {
                    file.diagnostics.append(
                        Diagnostic(
                            .note, code: "transcript.stored",
                            message: "call \(call): \(transcript.transcript.participants.count) participants, "
                                + "\(outcome.utterances) utterances, \(outcome.sentences) sentences",
                            location: SourceLocation(file: path)))
                }
                return file
            }
            var item = DocumentImport(
                sha256: parsed.sha256, path: path, sizeBytes: parsed.size, format: parsed.format,
                document: parsed.document, dedupKeys: parsed.keys, strict: options.strict)
            item.rawFieldsJSON = parsed.rawFieldsJSON
            let outcome = try store.importDocument(item)
            file.record(outcome)
            if options.strict, outcome.status == .failed, !parsed.document.unreadable {
                let warnings = parsed.document.diagnostics.filter { $0.severity == .warning }.count
                file.diagnostics.append(
                    Diagnostic(
                        .error, code: "input.strict",
                        message: "--strict: the whole file was rejected (\(file.rejected) record(s) rejected, "
                            + "\(warnings) warning(s))", location: SourceLocation(file: path)))
            }
        } catch {
            file.outcome = .unreadable
            file.diagnostics.append(
                Diagnostic(
                    .error, code: "store.write", message: "could not store this file: \(error)",
                    location: SourceLocation(file: path)))
        }
        return file
    }
}

extension BatchIngester {
    /// Stores a statement while it is read (see `StatementStream`) and reports it as `save` reports a whole one.
    fileprivate func saveStreamed(_ stream: StatementStream, parsed: Parsed, path: String, into store: Store) throws
        -> FileReport
    {
        let item = DocumentImport(
            sha256: parsed.sha256, path: path, sizeBytes: parsed.size, format: parsed.format,
            document: StatementDocument(format: parsed.format ?? .camt), dedupKeys: [])
        let outcome = try store.importStreamedDocument(
            item, next: { try stream.next() }, completed: { stream.completed() })
        var read = parsed
        read.document = stream.completed()
        var file = fileReport(read, path: path)
        file.read = stream.transactionsRead
        file.record(outcome)
        return file
    }

    /// Stores an invoice file (its lines are the file's records); a store failure is reported, never thrown.
    fileprivate func saveInvoice(
        _ invoice: InvoiceDocument, parsed: Parsed, path: String, into store: Store?, file: FileReport
    ) -> FileReport {
        var file = file
        guard let store, !options.dryRun else { return file }
        do {
            if let known = try store.knownDocument(sha256: parsed.sha256), known.status != .failed {
                file.outcome = .alreadyIngested(previousPath: known.path)
                file.read = 0
                file.diagnostics = []
                return file
            }
            let outcome = try store.importInvoice(
                InvoiceImport(sha256: parsed.sha256, path: path, sizeBytes: parsed.size, document: invoice))
            file.outcome = outcome.status == .failed ? .failed : .stored(outcome.status)
            file.stored = outcome.linesStored
            file.duplicatesSkipped = outcome.duplicateOf == nil ? 0 : file.read
            file.diagnostics += outcome.storeDiagnostics
        } catch {
            file.outcome = .unreadable
            file.diagnostics.append(
                Diagnostic(
                    .error, code: "store.write", message: "could not store this file: \(error)",
                    location: SourceLocation(file: path)))
        }
        return file
    }
}

/// Invoices waiting to be stored together: up to 64 documents, or what arrived within 50 ms of the first.
///
/// Why: one commit per small invoice dominated a 10,000-invoice batch. `Store.importInvoices` writes the group in
/// one transaction with a savepoint per invoice, so each invoice stays all-or-nothing and one bad invoice never
/// loses the others; a crash loses at most the uncommitted group, which a re-run stores.
private struct InvoiceGroup {
    static let maxDocuments = 64
    static let maxNanoseconds: UInt64 = 50_000_000
    private var items: [(item: InvoiceImport, file: FileReport)] = []
    private var started: UInt64 = 0

    var isFull: Bool {
        items.count >= Self.maxDocuments || DispatchTime.now().uptimeNanoseconds - started >= Self.maxNanoseconds
    }

    mutating func add(_ invoice: InvoiceDocument, parsed: BatchIngester.Parsed, path: String, file: FileReport) {
        if items.isEmpty { started = DispatchTime.now().uptimeNanoseconds }
        var file = file
        file.read = invoice.invoice?.lines.count ?? 0
        file.rejected = 0
        items.append(
            (InvoiceImport(sha256: parsed.sha256, path: path, sizeBytes: parsed.size, document: invoice), file))
    }

    /// Stores the group and returns its files' reports in order; a store failure is reported, never thrown.
    mutating func commit(into store: Store?) -> [FileReport] {
        defer { items.removeAll(keepingCapacity: true) }
        guard !items.isEmpty, let store else { return items.map(\.file) }
        let results: [InvoiceBatchResult]
        do {
            results = try store.importInvoices(items.map(\.item))
        } catch {
            return items.map { Self.failed($0.file, error) }
        }
        return zip(items, results).map { entry, result in
            var file = entry.file
            switch result {
            case let .alreadyStored(previousPath):
                file.outcome = .alreadyIngested(previousPath: previousPath)
                file.read = 0
                file.diagnostics = []
            case let .stored(outcome):
                file.outcome = outcome.status == .failed ? .failed : .stored(outcome.status)
                file.stored = outcome.linesStored
                file.duplicatesSkipped = outcome.duplicateOf == nil ? 0 : file.read
                file.diagnostics += outcome.storeDiagnostics
            case let .failed(error):
                file = Self.failed(file, error)
            }
            return file
        }
    }

    private static func failed(_ file: FileReport, _ error: any Error) -> FileReport {
        var file = file
        file.outcome = .unreadable
        file.diagnostics.append(
            Diagnostic(
                .error, code: "store.write", message: "could not store this file: \(error)",
                location: SourceLocation(file: file.path)))
        return file
    }
}

/// A value written by one concurrent task and read after all of them finished.
private final class ResultBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func set(_ value: Value) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: Value? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

extension FileReport {
    /// Takes what storing the file did: its final outcome, the counts and the store's own diagnostics.
    fileprivate mutating func record(_ outcome: ImportOutcome) {
        self.outcome = outcome.status == .failed ? .failed : .stored(outcome.status)
        stored = outcome.stored
        duplicatesSkipped = outcome.duplicatesSkipped
        possibleDuplicates = outcome.possibleDuplicates
        pendingMatched = outcome.pendingMatched
        diagnostics += outcome.storeDiagnostics
    }
}
