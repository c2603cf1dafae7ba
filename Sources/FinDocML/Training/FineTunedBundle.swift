import FinDocCore
import Foundation

/// A fine-tuned model on disk: a folder with `config.json` (what it is and how it was made) and
/// `adapters.safetensors` (the trained tensors by name: LoRA adapters, any trained LayerNorm parameters, the
/// head). It loads over the installed base encoder, whose `model.safetensors` sha256 it records and checks; the
/// encoder itself is never copied, so a bundle is a few MB.
///
/// This type knows nothing of the model classes: it stores and returns `[String: TensorData]` and the config,
/// and the model maps names to its parameters (`tensors(expecting:)` checks names and shapes on the way).
/// The model id is `name@` + the first 12 hex digits of the sha256 of `adapters.safetensors`: the same weights
/// give the same id, and the file's digest, recorded in the config, catches a swapped or damaged file.
public struct FineTunedBundle: Sendable, Equatable {
    /// What the bundle's head predicts.
    public enum Task: String, Sendable, Codable, CaseIterable {
        /// One label per sentence.
        case sentiment
        /// One BIO tag per token.
        case entities
    }

    /// The low-rank adapters' settings (the model side interprets them).
    public struct Adapters: Sendable, Equatable, Codable {
        /// The scheme, `lora`.
        public var kind: String
        /// Rank r of each adapter pair.
        public var rank: Int
        /// Scaling α (the update is `α / r · B·A`).
        public var alpha: Double
        /// The projections adapted in every layer, by the model side's names (`qkv`, `attention_output`,
        /// `intermediate`, `output`).
        public var targets: [String]
        /// True when every LayerNorm's gamma and beta trained too (they are then among the tensors).
        public var trainLayerNorms: Bool

        /// Adapter settings.
        public init(kind: String = "lora", rank: Int, alpha: Double, targets: [String], trainLayerNorms: Bool = false) {
            self.kind = kind
            self.rank = rank
            self.alpha = alpha
            self.targets = targets
            self.trainLayerNorms = trainLayerNorms
        }

        enum CodingKeys: String, CodingKey {
            case kind, rank, alpha, targets
            case trainLayerNorms = "train_layer_norms"
        }
    }

    /// The contents of `config.json`.
    public struct Config: Sendable, Equatable, Codable {
        /// Always `FineTunedBundle.format`.
        public var format: String
        /// Always `FineTunedBundle.version`.
        public var version: Int
        /// The bundle's name (first part of the model id).
        public var name: String
        /// What it predicts.
        public var task: Task
        /// Output labels in the head's order.
        public var labels: [String]
        /// Base encoder name (`all-MiniLM-L6-v2`).
        public var baseModel: String
        /// sha256 of the base encoder's `model.safetensors` it was trained over.
        public var baseModelSHA256: String
        /// Adapter settings.
        public var adapters: Adapters
        /// Longest token sequence the model reads.
        public var maxLength: Int
        /// How it was trained.
        public var training: FineTunerOptions
        /// The training run's epochs.
        public var history: [FineTuningEpoch]
        /// Dev figures by name (`accuracy`, `macro_f1`, `entity_f1`, ...), on the split `data` states.
        public var devMetrics: [String: Double]
        /// Free-form description of the data: files, split, row counts, licence.
        public var data: [String: String]
        /// sha256 of `adapters.safetensors`; filled in by `save`.
        public var adaptersSHA256: String
        /// When it was saved (ISO 8601); filled in by `save`.
        public var createdAt: String

        /// A config for the pinned base model; the digest and date are set by `save`.
        public init(
            name: String, task: Task, labels: [String], adapters: Adapters, maxLength: Int,
            training: FineTunerOptions, history: [FineTuningEpoch] = [], devMetrics: [String: Double] = [:],
            data: [String: String] = [:]
        ) {
            format = FineTunedBundle.format
            version = FineTunedBundle.version
            self.name = name
            self.task = task
            self.labels = labels
            baseModel = BaseModel.name
            baseModelSHA256 = FineTunedBundle.pinnedBaseModelSHA256
            self.adapters = adapters
            self.maxLength = maxLength
            self.training = training
            self.history = history
            self.devMetrics = devMetrics
            self.data = data
            adaptersSHA256 = ""
            createdAt = ""
        }

        enum CodingKeys: String, CodingKey {
            case format, version, name, task, labels, adapters, training, history, data
            case baseModel = "base_model", baseModelSHA256 = "base_model_sha256", maxLength = "max_length"
            case devMetrics = "dev_metrics", adaptersSHA256 = "adapters_sha256", createdAt = "created_at"
        }
    }

    /// Why a bundle could not be read or written; every case names the file.
    public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A file of the bundle is absent.
        case missingFile(path: String)
        /// `config.json` is not a config this version reads.
        case badConfig(path: String, reason: String)
        /// The bundle was trained over another base encoder.
        case baseModelMismatch(path: String, expected: String, found: String)
        /// `adapters.safetensors` is unreadable, or not the file the config names.
        case badTensors(path: String, reason: String)
        /// A tensor the model needs is absent.
        case missingTensor(path: String, tensor: String)
        /// A tensor has another shape than the model needs.
        case tensorShape(path: String, tensor: String, expected: [Int], found: [Int])
        /// The file holds a tensor the model does not know (a bundle for another architecture).
        case unexpectedTensor(path: String, tensor: String)
        /// The bundle is larger than allowed.
        case tooLarge(path: String, bytes: Int, limit: Int)
        /// Writing failed.
        case writeFailed(path: String, reason: String)

        /// A one-line explanation naming the file.
        public var description: String {
            switch self {
            case .missingFile(let path): "\(path): missing (a fine-tuned bundle holds config.json and adapters.safetensors)"
            case .badConfig(let path, let reason): "\(path): not a valid fine-tuned bundle config: \(reason)"
            case .baseModelMismatch(let path, let expected, let found):
                "\(path): trained over base model \(found), but this findoc runs \(expected); retrain the bundle "
                    + "or install the base model it was made for"
            case .badTensors(let path, let reason): "\(path): \(reason)"
            case .missingTensor(let path, let tensor): "\(path): tensor \"\(tensor)\" is missing"
            case .tensorShape(let path, let tensor, let expected, let found):
                "\(path): tensor \"\(tensor)\" has shape \(found), expected \(expected)"
            case .unexpectedTensor(let path, let tensor):
                "\(path): tensor \"\(tensor)\" is not part of this model (a bundle for another architecture?)"
            case .tooLarge(let path, let bytes, let limit): "\(path): \(bytes) bytes, more than the \(limit) allowed"
            case .writeFailed(let path, let reason): "\(path): cannot write the bundle: \(reason)"
            }
        }
    }

    /// `config.json`'s `format`.
    public static let format = "findoc-finetuned"
    /// The version this code writes and reads.
    public static let version = 1
    /// The config's file name.
    public static let configFile = "config.json"
    /// The tensors' file name.
    public static let adaptersFile = "adapters.safetensors"
    /// The size a shipped bundle must stay under (issue 7: ≤ 5 MB).
    public static let shippedSizeLimit = 5_000_000

    /// The sha256 the installer pins for the base model's `model.safetensors`.
    public static var pinnedBaseModelSHA256: String {
        BaseModel.files.first { $0.name == "model.safetensors" }?.sha256 ?? ""
    }

    /// The config.
    public var config: Config
    /// The trained tensors by name.
    public var tensors: [String: TensorData]
    /// The adapters file this bundle was loaded from or saved to (named in errors); `adapters.safetensors`
    /// before either.
    public private(set) var adaptersPath: String = adaptersFile

    /// A bundle of `config` and `tensors`.
    public init(config: Config, tensors: [String: TensorData]) {
        self.config = config
        self.tensors = tensors
    }

    /// `name@` + the first 12 hex digits of the adapters file's sha256 (known once saved or loaded).
    public var modelID: String { "\(config.name)@\(config.adaptersSHA256.prefix(12))" }

    /// Writes `adapters.safetensors`, then `config.json` with its digest, into `folder` (created if needed); each
    /// file is replaced atomically. Returns the model id.
    @discardableResult
    public mutating func save(to folder: URL) throws(BundleError) -> String {
        let adaptersPath = folder.appendingPathComponent(Self.adaptersFile).path
        let configPath = folder.appendingPathComponent(Self.configFile).path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: folder.path, reason: "\(error)")
        }
        let bytes: [UInt8]
        do {
            bytes = try SafetensorsWriter.encode(tensors, metadata: ["format": "pt"])
            try AtomicFileWriter.write(bytes, to: adaptersPath)
        } catch let error as SafetensorsWriteError {
            throw .writeFailed(path: adaptersPath, reason: error.description)
        } catch let error as AtomicFileWriter.Failure {
            throw .writeFailed(path: adaptersPath, reason: error.reason)
        } catch {
            throw .writeFailed(path: adaptersPath, reason: "\(error)")
        }
        self.adaptersPath = adaptersPath
        config.adaptersSHA256 = SHA256.hex(of: bytes)
        config.createdAt = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let json = try encoder.encode(config)
            try AtomicFileWriter.write([UInt8](json) + [0x0A], to: configPath)
        } catch let error as AtomicFileWriter.Failure {
            throw .writeFailed(path: configPath, reason: error.reason)
        } catch {
            throw .writeFailed(path: configPath, reason: "\(error)")
        }
        return modelID
    }

    /// Reads a bundle folder, checking the format, the base model (against `expectedBaseModelSHA256`, the
    /// installer's pin by default) and the adapters file's digest.
    public static func load(from folder: URL, expectedBaseModelSHA256: String = pinnedBaseModelSHA256)
        throws(BundleError) -> FineTunedBundle
    {
        let configPath = folder.appendingPathComponent(configFile).path
        let adaptersPath = folder.appendingPathComponent(adaptersFile).path
        guard let data = FileManager.default.contents(atPath: configPath) else { throw .missingFile(path: configPath) }
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: data)
        } catch {
            throw .badConfig(path: configPath, reason: Self.decodingReason(error))
        }
        guard config.format == format, config.version == version else {
            throw .badConfig(
                path: configPath, reason: "format \(config.format) v\(config.version), expected \(format) v\(version)")
        }
        guard !config.labels.isEmpty, Set(config.labels).count == config.labels.count else {
            throw .badConfig(path: configPath, reason: "labels must be a non-empty list without repeats")
        }
        guard (2...512).contains(config.maxLength) else {
            throw .badConfig(path: configPath, reason: "max_length \(config.maxLength) is outside 2...512")
        }
        guard config.baseModel == BaseModel.name, config.baseModelSHA256 == expectedBaseModelSHA256 else {
            throw .baseModelMismatch(
                path: configPath, expected: "\(BaseModel.name) (sha256 \(expectedBaseModelSHA256.prefix(12)))",
                found: "\(config.baseModel) (sha256 \(config.baseModelSHA256.prefix(12)))")
        }
        guard let bytes = FileManager.default.contents(atPath: adaptersPath) else {
            throw .missingFile(path: adaptersPath)
        }
        let digest = SHA256.hex(of: bytes)
        guard digest == config.adaptersSHA256 else {
            throw .badTensors(
                path: adaptersPath,
                reason: "sha256 \(digest.prefix(12)) differs from the \(config.adaptersSHA256.prefix(12)) recorded in "
                    + "\(configFile) (damaged or replaced)")
        }
        var tensors: [String: TensorData] = [:]
        do {
            let file = try SafetensorsFile(path: adaptersPath)
            for (name, info) in file.tensors {
                tensors[name] = TensorData(shape: info.shape, values: try file.floats(name))
            }
        } catch {
            throw .badTensors(path: adaptersPath, reason: error.description)
        }
        var bundle = FineTunedBundle(config: config, tensors: tensors)
        bundle.adaptersPath = adaptersPath
        return bundle
    }

    /// The tensors named in `expected`, each checked for its shape; a missing, mis-shaped or unknown tensor is an
    /// error naming the adapters file. The model side calls this with its parameters' names and shapes.
    public func tensors(expecting expected: [String: [Int]]) throws(BundleError) -> [String: TensorData] {
        let path = adaptersPath
        for name in expected.keys.sorted() {
            guard let tensor = tensors[name] else { throw .missingTensor(path: path, tensor: name) }
            guard let shape = expected[name], tensor.shape == shape else {
                throw .tensorShape(path: path, tensor: name, expected: expected[name] ?? [], found: tensor.shape)
            }
        }
        if let extra = tensors.keys.sorted().first(where: { expected[$0] == nil }) {
            throw .unexpectedTensor(path: path, tensor: extra)
        }
        return tensors
    }

    /// The bytes of every regular file in `folder` (not recursing).
    public static func byteSize(of folder: URL) -> Int {
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? manager.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    /// Throws `tooLarge` when the folder's files exceed `limit` bytes (a shipped bundle must stay small).
    public static func checkSize(of folder: URL, limit: Int = shippedSizeLimit) throws(BundleError) {
        let size = byteSize(of: folder)
        if size > limit { throw .tooLarge(path: folder.path, bytes: size, limit: limit) }
    }

    /// A decoding error as a short sentence with the key path.
    private static func decodingReason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            context.codingPath.isEmpty
                ? context.debugDescription
                : "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}

/// Moving values between a model's parameters and the name → tensor maps of bundles and checkpoints.
extension [TrainableParameter] {
    /// Every parameter's current values by name.
    public var tensorsByName: [String: TensorData] {
        var result: [String: TensorData] = [:]
        for parameter in self { result[parameter.name] = TensorData(shape: parameter.shape, values: parameter.values) }
        return result
    }

    /// Every parameter's name and shape (what `FineTunedBundle.tensors(expecting:)` checks against).
    public var shapesByName: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for parameter in self { result[parameter.name] = parameter.shape }
        return result
    }
}
