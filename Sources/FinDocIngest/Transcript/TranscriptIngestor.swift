import FinDocCore
import FinDocXML
import Foundation

/// Reads an earnings-call transcript in any supported layout, recognised by content: the scraped Motley Fool JSON,
/// Motley Fool plain text ("Name -- Title" speaker lines), Refinitiv/Thomson Reuters StreetEvents and FactSet
/// CallStreet PDF text, company-IR text with inline "Name: text" speakers, and HTML pages of any of these.
///
/// Always returns a `TranscriptDocument`; never throws or traps on the file's content. An empty file or one with no
/// recognisable speaker is `unreadable` with an error naming the file.
///
/// ```swift
/// let call = TranscriptIngestor().read(bytes, path: "AAN_q3_2021.txt")
/// for turn in call.transcript.utterances { print(turn.speaker, turn.section, turn.sentences.count) }
/// ```
public struct TranscriptIngestor: Sendable {
    /// Creates an ingestor.
    public init() {}

    /// Whether the start of a file looks like a transcript (used by `FormatSniffer`).
    ///
    /// JSON with `prepared_remarks`/`q_and_a`; HTML; or text with at least two transcript signals among an
    /// "Operator" line, a questions-and-answers heading, a participants heading, "Name -- Title" speaker lines and
    /// the words "earnings call"/"conference call".
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        // Most files sniffed are not transcripts: a byte scan rules them out for a hundredth of the full check.
        TranscriptSniffFilter.mayBeTranscript(bytes.prefix(65_536)) && looksLikeByFullCheck(bytes)
    }

    /// The full check behind `looksLike`, without the byte pre-check (which must never change its answer).
    static func looksLikeByFullCheck(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes.prefix(65_536), as: UTF8.self)
        if FoolJSONTranscriptReader.looksLike(Substring(text.prefix(4096))) { return true }
        let start = text.prefix(2048).drop { $0.isWhitespace || $0 == "\u{FEFF}" }.lowercased()
        // A JSON object: transcripts are the only JSON documents findoc reads, so one of another shape gets the
        // transcript reader's located error rather than a confusing CSV one.
        if start.hasPrefix("{") { return true }
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") { return true }
        var signals = 0
        let lower = text.lowercased()
        if lower.contains("earnings call") || lower.contains("conference call") || lower.contains("earnings conference")
        {
            signals += 1
        }
        if lower.contains("questions and answers") || lower.contains("question-and-answer")
            || lower.contains("questions & answers") || lower.contains("question and answer")
        {
            signals += 1
        }
        if text.contains("CORPORATE PARTICIPANTS") { signals += 1 }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        if lines.contains(where: { $0.hasPrefix("Operator") && ($0.count <= 9 || $0.hasPrefix("Operator:")) }) {
            signals += 1
        }
        if lines.filter({ FoolTextLayout.speaker(TranscriptBuilder.clean($0)) != nil && $0.contains(" -- ") }).count >= 2 {
            signals += 1
        }
        return signals >= 2
    }

    /// Reads one file's bytes.
    public func read(_ bytes: [UInt8], path: String) -> TranscriptDocument {
        let location = SourceLocation(file: path)
        let meta = TranscriptMetadata.find(path: path, headerLines: [])
        let nothing = Transcript(ticker: meta.ticker, fiscalQuarter: meta.quarter, fiscalYear: meta.year, layout: "unknown")
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return TranscriptDocument(
                transcript: nothing,
                diagnostics: [
                    Diagnostic(.error, code: "input.empty", message: "the file is empty; expected a transcript", location: location)
                ], unreadable: true)
        }
        if bytes.prefix(65_536).contains(0) {
            return TranscriptDocument(
                transcript: nothing,
                diagnostics: [
                    Diagnostic(
                        .error, code: "input.binary", message: "the file is binary data, not a transcript",
                        location: location)
                ], unreadable: true)
        }
        guard let (text, _) = TextDecoding.decode(bytes) else {
            return TranscriptDocument(
                transcript: nothing,
                diagnostics: [
                    Diagnostic(.error, code: "input.encoding", message: "cannot decode the text", location: location)
                ], unreadable: true)
        }
        if FoolJSONTranscriptReader.looksLike(Substring(text.prefix(4096)))
            || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("{")
            || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("[{")
            || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("[")
                && text.contains("]") && !text.contains("\n\n")
        {
            return FoolJSONTranscriptReader(path: path).read(Array(text.utf8))
        }
        let start = text.prefix(2048).drop { $0.isWhitespace || $0 == "\u{FEFF}" }.lowercased()
        if start.hasPrefix("<") && (start.contains("<html") || start.contains("<!doctype html") || start.contains("<body")) {
            return readHTML(bytes, path: path)
        }
        return readText(TranscriptLines.split(text), path: path, layoutSuffix: "")
    }

    /// Reads text lines in whichever layout they are.
    func readText(_ lines: [TranscriptLine], path: String, layoutSuffix: String) -> TranscriptDocument {
        let meta = TranscriptMetadata.find(path: path, headerLines: lines.prefix(60).map(\.text))
        let layout: String
        var builder: TranscriptBuilder
        if StreetEventsLayout.looksLike(lines) {
            layout = "streetevents"
            builder = TranscriptBuilder(path: path, wrapped: true)
            StreetEventsLayout.read(lines, into: &builder)
        } else if FactSetLayout.looksLike(lines) {
            layout = "factset"
            builder = TranscriptBuilder(path: path, wrapped: true)
            FactSetLayout.read(lines, into: &builder)
        } else if FoolTextLayout.speakerLineCount(lines) >= 2 {
            layout = "fool-text"
            builder = TranscriptBuilder(path: path, wrapped: false)
            FoolTextLayout.read(lines, into: &builder)
        } else {
            layout = "inline"
            builder = TranscriptBuilder(path: path, wrapped: layoutSuffix.isEmpty)
            InlineSpeakerLayout.read(lines, into: &builder)
        }
        QuestionStart.apply(&builder)
        return builder.build(layout: layout + layoutSuffix, metadata: meta)
    }

    private func readHTML(_ bytes: [UInt8], path: String) -> TranscriptDocument {
        let blocks: [String]
        do {
            blocks = try HTMLText.blocks(of: bytes)
        } catch {
            return TranscriptDocument(
                transcript: Transcript(layout: "html"),
                diagnostics: [
                    Diagnostic(.error, code: "transcript.html", message: "\(error)", location: SourceLocation(file: path))
                ], unreadable: true)
        }
        // Each block becomes a line set apart by blank lines, the shape of the plain-text layouts; line numbers are
        // block numbers.
        var lines: [TranscriptLine] = []
        for (i, block) in blocks.enumerated() {
            lines.append(TranscriptLine(number: i + 1, text: TranscriptBuilder.clean(block), rawLength: block.count))
            lines.append(TranscriptLine(number: i + 1, text: "", rawLength: 0))
        }
        var document = readText(lines, path: path, layoutSuffix: "-html")
        for i in document.transcript.utterances.indices {
            let line = document.transcript.utterances[i].location.line
            document.transcript.utterances[i].location = SourceLocation(
                file: path, xpath: line.map { "html block \($0)" })
        }
        return document
    }
}
