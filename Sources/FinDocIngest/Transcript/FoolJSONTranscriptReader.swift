import FinDocCore
import Foundation

/// Reads the scraped Motley Fool JSON layout: `{"header_texts": [...], "prepared_remarks": [{"speaker", "speech"}],
/// "q_and_a": [...], "participants": ["Name--Title", "Name--Firm -- Analyst"]}`.
///
/// Every turn becomes one utterance in source order (prepared remarks, then Q&A); paragraphs are the "\n"-separated
/// lines of `speech`. Locations are JSON paths such as `$.q_and_a[3]`.
struct FoolJSONTranscriptReader {
    let path: String

    /// Whether `text` (the start of a file) is this layout.
    static func looksLike(_ text: Substring) -> Bool {
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        return trimmed.hasPrefix("{") && (text.contains("\"prepared_remarks\"") || text.contains("\"q_and_a\""))
    }

    func read(_ bytes: [UInt8]) -> TranscriptDocument {
        let meta = TranscriptMetadata.find(path: path, headerLines: [])
        let empty = Transcript(ticker: meta.ticker, fiscalQuarter: meta.quarter, fiscalYear: meta.year, layout: "fool-json")
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            return failure(empty, "the file is not valid JSON (\(Self.reason(error))); expected a transcript object")
        }
        guard let root = object as? [String: Any] else {
            return failure(empty, "expected a JSON object with \"prepared_remarks\" and \"q_and_a\" arrays, found "
                + Self.kind(object), xpath: "$")
        }
        guard root["prepared_remarks"] != nil || root["q_and_a"] != nil else {
            let keys = root.keys.sorted().prefix(6).joined(separator: ", ")
            return failure(empty, "expected a JSON object with \"prepared_remarks\" and \"q_and_a\" arrays, found keys: "
                + (keys.isEmpty ? "none" : keys), xpath: "$")
        }
        var builder = TranscriptBuilder(path: path, wrapped: false)
        if let list = root["participants"] as? [Any] {
            for (i, entry) in list.enumerated() {
                guard let text = entry as? String else {
                    builder.diagnostics.append(warning("expected a string \"Name--Title\"", "$.participants[\(i)]"))
                    continue
                }
                let (name, title, company) = Self.splitParticipant(text)
                guard !name.isEmpty else { continue }
                builder.declare(name: name, title: title, company: company)
            }
        }
        for (key, section) in [("prepared_remarks", TranscriptSection.prepared), ("q_and_a", .qa)] {
            guard let value = root[key] else { continue }
            guard let turns = value as? [Any] else {
                builder.diagnostics.append(warning("expected an array of {speaker, speech} objects", "$.\(key)"))
                continue
            }
            builder.section = section
            for (i, item) in turns.enumerated() {
                let where_ = "$.\(key)[\(i)]"
                guard let turn = item as? [String: Any], let speaker = turn["speaker"] as? String,
                    !speaker.trimmingCharacters(in: .whitespaces).isEmpty
                else {
                    builder.diagnostics.append(warning("expected an object with a \"speaker\" string; turn skipped", where_))
                    continue
                }
                if TranscriptLines.heading(speaker) == .end {
                    // The scrape keeps the page's "Duration: 49 minutes" line as a turn: page furniture, not speech.
                    builder.diagnostics.append(
                        Diagnostic(
                            .note, code: "transcript.furniture",
                            message: "\"\(speaker)\" is page furniture, not a speaker; turn left out",
                            location: SourceLocation(file: path, xpath: where_)))
                    continue
                }
                builder.startTurn(name: speaker, line: nil, xpath: where_)
                let speech = turn["speech"] as? String ?? ""
                for line in speech.split(separator: "\n", omittingEmptySubsequences: false) {
                    builder.addLine(line)
                    builder.closeParagraph()
                }
            }
        }
        let headers = (root["header_texts"] as? [Any])?.compactMap { $0 as? String } ?? []
        var found = TranscriptMetadata.find(path: path, headerLines: headers)
        if found.ticker == nil { found.ticker = meta.ticker }
        return builder.build(layout: "fool-json", metadata: found)
    }

    /// "Kyle Joseph--Jefferies -- Analyst" → ("Kyle Joseph", "Analyst", "Jefferies");
    /// "C. Kelly Wall--Chief Financial Officer" → ("C. Kelly Wall", "Chief Financial Officer", nil).
    static func splitParticipant(_ text: String) -> (String, String?, String?) {
        guard let separator = text.range(of: "--") else { return (TranscriptBuilder.clean(text), nil, nil) }
        let name = TranscriptBuilder.clean(text[..<separator.lowerBound])
        let rest = TranscriptBuilder.clean(text[separator.upperBound...])
        if let inner = rest.range(of: " -- ", options: .backwards) {
            return (name, String(rest[inner.upperBound...]), String(rest[..<inner.lowerBound]))
        }
        return (name, rest.isEmpty ? nil : rest, nil)
    }

    private func warning(_ message: String, _ xpath: String) -> Diagnostic {
        Diagnostic(.warning, code: "transcript.json", message: message, location: SourceLocation(file: path, xpath: xpath))
    }

    private func failure(_ transcript: Transcript, _ message: String, xpath: String? = nil) -> TranscriptDocument {
        TranscriptDocument(
            transcript: transcript,
            diagnostics: [
                Diagnostic(.error, code: "transcript.json", message: message, location: SourceLocation(file: path, xpath: xpath))
            ], unreadable: true)
    }

    private static func kind(_ value: Any) -> String {
        switch value {
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNumber: "a number"
        default: "another kind of value"
        }
    }

    private static func reason(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}
