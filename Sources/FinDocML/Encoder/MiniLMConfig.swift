import Foundation

/// The architecture numbers of a BERT-style encoder, read from the model's `config.json` (Hugging Face format).
public struct MiniLMConfig: Sendable, Equatable, Decodable {
    /// Width of every token vector (384 for all-MiniLM-L6-v2).
    public let hiddenSize: Int
    /// Transformer layers (6).
    public let layerCount: Int
    /// Attention heads per layer (12); `hiddenSize` must divide by it.
    public let headCount: Int
    /// Width of the feed-forward layer (1536).
    public let intermediateSize: Int
    /// Rows of the word embedding table (30522).
    public let vocabularySize: Int
    /// Longest sequence the position table covers (512).
    public let maxPositions: Int
    /// Rows of the token-type table (2).
    public let typeVocabularySize: Int
    /// LayerNorm epsilon (1e-12).
    public let layerNormEpsilon: Float
    /// Activation name; only "gelu" (the erf form) is supported.
    public let hiddenActivation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size", vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings", typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps", hiddenActivation = "hidden_act"
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads and checks `config.json`.
    public static func load(from url: URL) throws(EncoderError) -> MiniLMConfig {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .badConfig(path: url.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        let config: MiniLMConfig
        do {
            config = try JSONDecoder().decode(MiniLMConfig.self, from: data)
        } catch {
            throw .badConfig(path: url.path, reason: "not a BERT config.json (\(error))")
        }
        try config.validate(path: url.path)
        return config
    }

    /// Rejects numbers the forward pass cannot honour.
    func validate(path: String) throws(EncoderError) {
        let positive = [hiddenSize, layerCount, headCount, intermediateSize, vocabularySize, maxPositions,
            typeVocabularySize]
        guard positive.allSatisfy({ $0 > 0 && $0 < 1 << 24 }) else {
            throw .badConfig(path: path, reason: "sizes must be positive")
        }
        guard hiddenSize % headCount == 0 else {
            throw .badConfig(path: path, reason: "hidden_size \(hiddenSize) does not divide into \(headCount) heads")
        }
        guard hiddenActivation == "gelu" else {
            throw .badConfig(path: path, reason: "hidden_act \"\(hiddenActivation)\" is not supported (expected gelu)")
        }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else {
            throw .badConfig(path: path, reason: "layer_norm_eps must be positive")
        }
    }
}
