import ArgumentParser
import FinDocCore
import FinDocML
import Foundation

/// `findoc embed`: sentence embeddings of text, one JSON line per input line.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write the all-MiniLM-L6-v2 sentence embedding of each input line as JSON Lines.",
        discussion: """
            Reads one text per line from FILE (or stdin when FILE is - or absent) and writes one line per input: \
            {"text": ..., "embedding": [384 floats]} — mean-pooled over the tokens and L2-normalised, as \
            sentence-transformers computes them. Empty lines are texts too (they embed [CLS] [SEP]).

            With --token-ids, each input line is instead a JSON array of token ids (e.g. from a reference \
            tokenizer) and each output line is {"ids": [...], "embedding": [...]}: for parity checks.

            Examples:
              findoc embed sentences.txt > vectors.jsonl
              echo "Operating profit rose to EUR 13.1 mn." | findoc embed
              findoc embed --token-ids ids.jsonl
              findoc embed --int8 sentences.txt
            """)

    @Argument(help: "A text file with one text per line; - or absent for stdin.")
    var file: String?
    @Flag(help: "Input lines are JSON arrays of token ids instead of text.")
    var tokenIds = false
    @Option(help: "Longest token sequence of a text, [CLS] and [SEP] included (longer texts are truncated).")
    var maxLength = 128
    @Option(help: "Sentences per encoder call.")
    var batch = 32
    @Flag(help: "Run the linear layers in int8 (faster where the CPU has VNNI; mean cosine to fp32 ≥ 0.99).")
    var int8 = false

    func validate() throws {
        guard (2...512).contains(maxLength) else { throw ValidationError("--max-length expects 2…512") }
        guard batch >= 1 else { throw ValidationError("--batch expects a positive number") }
    }

    func run() throws {
        let source = file ?? "-"
        let data: Data
        if source == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: source) else {
                Terminal.error("\(source): cannot read the file")
                throw ExitCode.failure
            }
            data = read
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }

        let encoder: MiniLMEncoder
        do {
            encoder = try MiniLMEncoder(int8: int8)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        var sequences: [[Int32]] = []
        sequences.reserveCapacity(lines.count)
        if tokenIds {
            for (index, line) in lines.enumerated() {
                guard let ids = try? JSONDecoder().decode([Int32].self, from: Data(line.utf8)), !ids.isEmpty else {
                    Terminal.error("\(source):\(index + 1): expected a JSON array of token ids such as [101, 7632, 102]")
                    throw ExitCode.failure
                }
                sequences.append(ids)  // as given: the caller's tokenizer already added [CLS]/[SEP] and truncated
            }
        } else {
            do {
                sequences = try Self.tokenIDs(of: lines, modelFolder: encoder.modelDirectory, maxLength: maxLength)
            } catch {
                Terminal.error("\(error)")
                throw ExitCode.failure
            }
        }

        do {
            try Self.writeEmbeddings(
                sequences: sequences, texts: tokenIds ? nil : lines, encoder: encoder, batch: batch
            ) { FileHandle.standardOutput.write(Data($0)) }
        } catch {
            Terminal.error("\(source): \(error)")
            throw ExitCode.failure
        }
    }

    /// Encodes `sequences` `batch` at a time and hands each batch's JSON lines to `write`: `{"text": …}` when
    /// `texts` is given (one per sequence), else `{"ids": […]}`, then `"embedding": […]`.
    static func writeEmbeddings(
        sequences: [[Int32]], texts: [String]?, encoder: MiniLMEncoder, batch: Int, write: ([UInt8]) -> Void
    ) throws(EncoderError) {
        var out: [UInt8] = []
        var start = 0
        while start < sequences.count {
            let end = min(start + max(1, batch), sequences.count)
            let vectors = try encoder.sentenceEmbeddings(tokenIDs: Array(sequences[start..<end]))
            for (offset, vector) in vectors.enumerated() {
                let index = start + offset
                if let texts {
                    out += Array("{\"text\":".utf8)
                    JSONText.appendQuoted(texts[index], to: &out)
                    out += Array(",\"embedding\":[".utf8)
                } else {
                    out += Array("{\"ids\":[".utf8)
                    out += Array(sequences[index].map(String.init).joined(separator: ",").utf8)
                    out += Array("],\"embedding\":[".utf8)
                }
                // Swift's shortest round-trip spelling of a Float is a valid JSON number (no NaN after normalising).
                out += Array(vector.map { "\($0)" }.joined(separator: ",").utf8)
                out += Array("]}\n".utf8)
            }
            write(out)
            out.removeAll(keepingCapacity: true)
            start = end
        }
    }

    /// The `[CLS] … [SEP]` token ids of each text, truncated to `maxLength`, with the WordPiece tokenizer of the
    /// model in `modelFolder` (its `vocab.txt`): the same ids the reference tokenizer gives.
    static func tokenIDs(of texts: [String], modelFolder: URL, maxLength: Int) throws -> [[Int32]] {
        let tokenizer = try BertTokenizer(modelFolder: modelFolder, maxLength: maxLength)
        return tokenizer.encodeEach(texts, maxLength: maxLength).map(\.ids)
    }
}
