import ArgumentParser
import FinDocML
import Foundation
import Testing

@testable import FinDocCommands

/// `findoc models …` and `findoc embed`.
@Suite struct ModelsAndEmbedCommandTests {
    static let commands: [ParsableCommand.Type] = [
        ModelsCommand.self, ModelsList.self, ModelsInfo.self, ModelsInstall.self, EmbedCommand.self,
    ]

    @Test(arguments: commands.map { String(describing: $0) })
    func helpHasExamples(name: String) throws {
        let type = try #require(Self.commands.first { String(describing: $0) == name })
        let help = Findoc.helpMessage(for: type)
        #expect(help.contains("Examples:"), "\(name) --help has no examples")
        #expect(help.contains("findoc "), "\(name) examples should show findoc invocations")
    }

    @Test func usageErrorsExit64() {
        for arguments in [
            ["embed", "--max-length", "1"], ["embed", "--batch", "0"], ["models", "info", "no-such-model"],
            ["models", "frobnicate"],
        ] {
            do {
                var command = try Findoc.parseAsRoot(arguments)
                try command.run()
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(Findoc.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
            }
        }
    }

    @Test("embed's JSON lines carry the reference embedding of the fixture's ids")
    func embedJSONLines() throws {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let fixture = parts.joined(separator: "/") + "/Tests/FinDocMLTests/Fixtures/encoder"
        // The fixture's first sentence and its pooled embedding (PyTorch), read straight from the fixture files.
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture + "/fixture.json")))
        let sentences = try #require((meta as? [String: Any])?["sentences"] as? [[String: Any]])
        let ids = try #require((sentences[0]["ids"] as? [Int])?.map(Int32.init))
        let positions = try #require(sentences[0]["positions"] as? [Int])
        let raw = try Data(contentsOf: URL(fileURLWithPath: fixture + "/expected.f32"))
        let pooledStart = positions.count * 384
        let expected: [Float] = raw.withUnsafeBytes { bytes in
            (pooledStart..<(pooledStart + 384)).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }

        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder()
        } catch {
            Issue.record("\(error)")  // set-up installs the model; its absence is a failure with the install hint
            return
        }
        var output: [UInt8] = []
        try EmbedCommand.writeEmbeddings(
            sequences: [ids, ids], texts: ["Operating \"profit\"", "b"], encoder: encoder, batch: 1
        ) { output += $0 }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["text"] as? String == "Operating \"profit\"")
        let embedding = try #require((object["embedding"] as? [NSNumber])?.map(\.floatValue))
        #expect(embedding.count == 384)
        #expect(zip(embedding, expected).map { abs($0 - $1) }.max() ?? 1 <= 1e-4)
    }
}
