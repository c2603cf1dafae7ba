import FinDocCore
import Foundation
import Testing

@testable import FinDocML

/// Shared locations and loaders for the tokenizer suites.
enum TokenizerTestSupport {
    /// The repository root, found from this file's path (Tests/FinDocMLTests/TokenizerTestSupport.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixtures produced by Scripts/reference/make_tokenizer_fixture.py.
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/FinDocMLTests/Fixtures/tokenizer")

    /// The shared data sets beside the repository.
    static let sharedData = repositoryRoot.appendingPathComponent("../shared/data").standardizedFileURL

    /// The real all-MiniLM-L6-v2 tokenizer from the installed model. The model must be installed: a missing model
    /// is a failure with the command that installs it, never a skip.
    static func installedTokenizer() throws -> BertTokenizer {
        let folder = ModelsDirectory.resolve().folder(named: BertTokenizer.defaultModelName)
        do {
            return try BertTokenizer(modelFolder: folder)
        } catch {
            Issue.record(
                """
                The tokenizer tests need the installed base model (\(folder.path)/vocab.txt).
                Run Scripts/install-model.sh (or Scripts/setup.sh), or set FINDOC_MODELS to a folder holding \
                all-MiniLM-L6-v2/. Underlying error: \(error)
                """)
            throw error
        }
    }

    /// One line of permissive.jsonl: a text whose licence allows it here, with the reference ids and offsets.
    struct PermissiveRecord: Decodable {
        let source: String
        let text: String
        let ids: [Int32]
        let offsets: [[Int]]
    }

    /// One line of noncommercial.jsonl, keyed by line number and the line's sha256: the number of reference ids
    /// and the sha256 of them written as decimal numbers joined by commas (ids decode back into the sentence, so
    /// they are not committed for a non-commercial set).
    struct IDsOnlyRecord: Decodable {
        let file: String
        let line: Int
        let sha256: String
        let idsCount: Int
        let idsSHA256: String

        enum CodingKeys: String, CodingKey {
            case file, line, sha256
            case idsCount = "ids_count"
            case idsSHA256 = "ids_sha256"
        }
    }

    /// Decodes a JSON Lines fixture.
    static func jsonLines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
    }
}
