/// Why the encoder could not be loaded or run; every case says what to do about it.
public enum EncoderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model folder or one of its files is missing or corrupt; `BaseModel.installHint` says how to fix it.
    case modelNotInstalled(folder: String, reason: String)
    /// `config.json` cannot be used.
    case badConfig(path: String, reason: String)
    /// A weight is missing or has the wrong shape or dtype.
    case badWeights(SafetensorsError)
    /// An input is outside what the model accepts (a token id beyond the vocabulary, a sequence too long, ...).
    case badInput(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .modelNotInstalled(let folder, let reason):
            "the base model is not installed correctly at \(folder): \(reason). \(BaseModel.installHint)"
        case .badConfig(let path, let reason): "\(path): \(reason)"
        case .badWeights(let error): "\(error). \(BaseModel.installHint)"
        case .badInput(let reason): "encoder input: \(reason)"
        }
    }
}
