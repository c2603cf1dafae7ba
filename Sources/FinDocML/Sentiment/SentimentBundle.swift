import FinDocCore
import Foundation

/// A trained sentiment head on disk: one folder holding `sentiment.json` (labels, weights, bias, standardisation,
/// the base encoder it expects with the sha256 of its `model.safetensors`, embedding settings, training settings and
/// dev figures). A few tens of KB: the encoder itself is installed separately and never copied.
public struct SentimentBundle: Sendable, Equatable {
    /// The head.
    public var head: SentimentHead
    /// Bundle name, the first part of the model id.
    public var name: String
    /// The base encoder's name (`all-MiniLM-L6-v2`).
    public var baseModel: String
    /// The sha256 of the base encoder's `model.safetensors` the head was trained on.
    public var baseModelSHA256: String
    /// Longest token sequence when embedding (texts are truncated to it).
    public var maxLength: Int
    /// How the settings were trained.
    public var training: SentimentTrainingOptions
    /// Rows the head was fitted on.
    public var rows: Int
    /// Free-form record of the data and the dev figures (shown by `findoc eval`, kept for the model card).
    public var notes: [String: String]
    /// `name@` + the first 12 hex digits of the sha256 of the head's JSON; set when saved or loaded.
    public var modelID: String

    /// The file inside the bundle folder.
    public static let headerFile = "sentiment.json"
    /// The `format` value of that file.
    public static let format = "findoc-sentiment-head"
    /// Pooling the head expects: mean over tokens, L2-normalised (sentence-transformers' default for MiniLM).
    public static let pooling = "mean-l2"

    /// The sha256 the installer pins for the base model's `model.safetensors`.
    public static var pinnedBaseModelSHA256: String {
        BaseModel.files.first { $0.name == "model.safetensors" }?.sha256 ?? ""
    }

    /// Wraps a trained head.
    public init(
        head: SentimentHead, name: String, maxLength: Int = BertTokenizer.defaultMaxLength,
        training: SentimentTrainingOptions, rows: Int, notes: [String: String] = [:]
    ) {
        self.head = head
        self.name = name
        baseModel = BaseModel.name
        baseModelSHA256 = Self.pinnedBaseModelSHA256
        self.maxLength = maxLength
        self.training = training
        self.rows = rows
        self.notes = notes
        modelID = Self.modelID(name: name, head: head)
    }

    /// Errors reading a bundle; each names the file.
    public enum BundleError: Error, CustomStringConvertible, Equatable {
        /// No `sentiment.json` in the folder.
        case missing(path: String)
        /// The file is not what this version writes.
        case corrupt(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "\(path): no sentiment bundle here (expected \(SentimentBundle.headerFile))"
            case .corrupt(let path, let reason): "\(path): not a valid sentiment bundle: \(reason)"
            }
        }
    }

    struct File: Codable {
        var format: String
        var version: Int
        var name: String
        var baseModel: String
        var baseModelSHA256: String
        var pooling: String
        var maxLength: Int
        var head: SentimentHead
        var training: SentimentTrainingOptions
        var rows: Int
        var notes: [String: String]
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case format, version, name, pooling, head, training, rows, notes
            case baseModel = "base_model", baseModelSHA256 = "base_model_sha256", maxLength = "max_length"
            case createdAt = "created_at"
        }
    }

    /// Whether `folder` holds a sentiment bundle (used to tell bundle kinds apart).
    public static func isBundle(at folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(headerFile).path)
    }

    /// Writes `sentiment.json` into `folder` (created if needed) and returns the model id.
    @discardableResult
    public func save(to folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = File(
            format: Self.format, version: 1, name: name, baseModel: baseModel, baseModelSHA256: baseModelSHA256,
            pooling: Self.pooling, maxLength: maxLength, head: head, training: training, rows: rows, notes: notes,
            createdAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(file).write(to: folder.appendingPathComponent(Self.headerFile), options: .atomic)
        return modelID
    }

    /// Reads a bundle folder written by `save`, checking sizes and the base model it expects.
    public static func load(from folder: URL) throws -> SentimentBundle {
        let url = folder.appendingPathComponent(headerFile)
        guard let data = try? Data(contentsOf: url) else { throw BundleError.missing(path: folder.path) }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw BundleError.corrupt(path: url.path, reason: "\(error)")
        }
        guard file.format == format, file.version == 1 else {
            throw BundleError.corrupt(path: url.path, reason: "format \(file.format) v\(file.version); expected \(format) v1")
        }
        guard file.pooling == pooling, (2...512).contains(file.maxLength) else {
            throw BundleError.corrupt(path: url.path, reason: "pooling \(file.pooling), max_length \(file.maxLength)")
        }
        guard file.head.isConsistent else {
            throw BundleError.corrupt(path: url.path, reason: "labels, weights, bias and feature sizes disagree")
        }
        guard file.baseModel == BaseModel.name, file.baseModelSHA256 == pinnedBaseModelSHA256 else {
            throw BundleError.corrupt(
                path: url.path,
                reason: "trained on \(file.baseModel) (\(file.baseModelSHA256.prefix(12))), this findoc runs "
                    + "\(BaseModel.name) (\(pinnedBaseModelSHA256.prefix(12)))")
        }
        var bundle = SentimentBundle(
            head: file.head, name: file.name, maxLength: file.maxLength, training: file.training, rows: file.rows,
            notes: file.notes)
        bundle.baseModelSHA256 = file.baseModelSHA256
        return bundle
    }

    /// `name@` + 12 hex digits of the sha256 of the head's canonical JSON: the same weights give the same id.
    static func modelID(name: String, head: SentimentHead) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(head)).map { [UInt8]($0) } ?? []
        return "\(name)@\(SHA256.hex(of: bytes).prefix(12))"
    }
}
