import Foundation

/// A sentiment model on disk, of either kind findoc trains: a frozen-encoder head (`sentiment.json`, see
/// `SentimentBundle`) or a fine-tuned bundle (`config.json` + `adapters.safetensors`, see `FineTunedBundle`).
/// Commands load whichever a folder holds; the classifier runs both.
public enum SentimentModel: Sendable {
    /// Logistic regression over frozen, L2-normalised mean-pooled embeddings.
    case frozen(SentimentBundle)
    /// LoRA adapters and a linear head over the mean-pooled hidden states of the adapted encoder.
    case fineTuned(FineTunedBundle)

    /// The id predictions carry.
    public var modelID: String {
        switch self {
        case .frozen(let bundle): return bundle.modelID
        case .fineTuned(let bundle): return bundle.modelID
        }
    }

    /// The labels, in the head's order.
    public var labels: [String] {
        switch self {
        case .frozen(let bundle): return bundle.head.labels
        case .fineTuned(let bundle): return bundle.config.labels
        }
    }

    /// Longest token sequence (longer texts are truncated).
    public var maxLength: Int {
        switch self {
        case .frozen(let bundle): return bundle.maxLength
        case .fineTuned(let bundle): return bundle.config.maxLength
        }
    }

    /// True when `folder` holds a sentiment model of either kind.
    public static func isModel(at folder: URL) -> Bool {
        SentimentBundle.isBundle(at: folder) || FineTunedBundle.task(at: folder) == .sentiment
    }

    /// Reads the model in `folder`: a fine-tuned bundle when `config.json` is there, else a frozen head. Errors
    /// name the file.
    public static func load(from folder: URL) throws -> SentimentModel {
        let config = folder.appendingPathComponent(FineTunedBundle.configFile)
        if FileManager.default.fileExists(atPath: config.path) {
            let bundle = try FineTunedBundle.load(from: folder)
            guard bundle.config.task == .sentiment else {
                throw FineTunedModelError.wrongTask(path: config.path, expected: .sentiment, found: bundle.config.task)
            }
            return .fineTuned(bundle)
        }
        return .frozen(try SentimentBundle.load(from: folder))
    }
}
