/// The two parts of an earnings call.
public enum TranscriptSection: String, Sendable, Hashable, CaseIterable, Codable {
    /// Prepared remarks (the presentation).
    case prepared
    /// Questions and answers.
    case qa
}

/// One turn: a speaker's words until the next speaker.
public struct Utterance: Sendable, Hashable {
    /// The participant's name, as in `Transcript.participants` (one spelling per person).
    public var speaker: String
    /// The speaker's name as written at this turn ("Tim Cook" where the participant is "Timothy D. Cook").
    public var speakerLabel: String
    /// The speaker's role.
    public var role: ParticipantRole
    /// The section it belongs to.
    public var section: TranscriptSection
    /// What was said; paragraphs separated by "\n". Page furniture and "[Operator Instructions]" markers are not
    /// part of it.
    public var text: String
    /// Where the turn starts in the source (the speaker line, or the JSON path).
    public var location: SourceLocation
    /// The sentences of `text`, in order.
    public var sentences: [Sentence]

    /// Creates a turn; its sentences are split with `SentenceSplitter` unless given.
    public init(
        speaker: String, speakerLabel: String? = nil, role: ParticipantRole, section: TranscriptSection, text: String,
        location: SourceLocation, sentences: [Sentence]? = nil
    ) {
        self.speaker = speaker
        self.speakerLabel = speakerLabel ?? speaker
        self.role = role
        self.section = section
        self.text = text
        self.location = location
        self.sentences = sentences ?? SentenceSplitter().split(text)
    }
}

/// One sentence of an utterance, as offsets into the utterance's text.
///
/// `start` and `end` count Unicode scalars (code points) from the start of `Utterance.text`, half-open: in Python,
/// `utterance_text[start:end] == sentence_text`.
public struct Sentence: Sendable, Hashable {
    /// 0-based position in the utterance.
    public var index: Int
    /// First scalar of the sentence.
    public var start: Int
    /// One past its last scalar.
    public var end: Int
    /// The sentence's text (equal to the slice of the utterance text).
    public var text: String

    /// Creates a sentence.
    public init(index: Int, start: Int, end: Int, text: String) {
        self.index = index
        self.start = start
        self.end = end
        self.text = text
    }
}
