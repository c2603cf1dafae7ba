import Foundation

/// Why a tokenizer could not be built from its files.
///
/// Text itself never fails to tokenize: every input, however malformed, gets ids (unknown pieces become `[UNK]`).
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The vocabulary file does not exist; `hint` says how to install it.
    case vocabularyMissing(path: String, hint: String)
    /// The vocabulary file exists but cannot be used (unreadable, empty, or without a required special token).
    case vocabularyInvalid(path: String, line: Int?, reason: String)

    /// The message a person reads, naming the file (and line) and what was expected.
    public var description: String {
        switch self {
        case .vocabularyMissing(let path, let hint):
            "error[tokenizer.vocab-missing]: no vocabulary at \(path)\n  \(hint)"
        case .vocabularyInvalid(let path, let line, let reason):
            "error[tokenizer.vocab-invalid]: \(reason)\n  --> \(path)" + (line.map { ":\($0)" } ?? "")
        }
    }
}
