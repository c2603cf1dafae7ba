import Foundation
import Testing

@testable import FinDocML

/// Paths and files shared by the encoder and safetensors tests.
enum EncoderTestSupport {
    /// The repository root, found from this file's path (Tests/FinDocMLTests/EncoderTestSupport.swift).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The parity fixture folder.
    static let fixtureFolder = repositoryRoot + "/Tests/FinDocMLTests/Fixtures/encoder"

    /// The installed base model's folder. Set-up installs it before the tests run (CI included), so a missing
    /// model is a failure whose message says how to install it, never a silent skip.
    static func installedModelFolder() throws -> URL {
        let folder = BaseModel.folder(in: .resolve())
        do {
            try BaseModel.checkPresent(folder: folder)
        } catch {
            Issue.record("\(error)")
            throw error
        }
        return folder
    }

    /// One encoder for every test that needs the real model (loading takes a moment in debug builds).
    static let sharedEncoder: Result<MiniLMEncoder, any Error> = Result {
        try MiniLMEncoder(modelDirectory: try installedModelFolder(), threads: 2)
    }

    /// The shared encoder, or a recorded failure.
    static func encoder() throws -> MiniLMEncoder {
        switch sharedEncoder {
        case .success(let encoder): return encoder
        case .failure(let error):
            Issue.record("cannot load the base model: \(error)")
            throw error
        }
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("findoc-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
