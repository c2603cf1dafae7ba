/// One earnings call as read from a transcript: who took part, what each said in order, and the call's facts.
///
/// Text positions: every offset in this model (a `Sentence`'s `start`/`end`) counts Unicode scalars (code points)
/// into the utterance's `text`, the same unit as Python's `str` indices, so consumers in other languages can slice
/// the stored text directly.
public struct Transcript: Sendable, Hashable {
    /// The company holding the call, when the text names it.
    public var company: String?
    /// The stock ticker, when the text or file name gives it.
    public var ticker: String?
    /// Fiscal quarter 1...4, when the text says so.
    public var fiscalQuarter: Int?
    /// Fiscal year, when the text says so.
    public var fiscalYear: Int?
    /// The day of the call, when the text says so.
    public var callDate: LocalDate?
    /// The layout the transcript was read from (`fool-json`, `fool-text`, `streetevents`, `html`, ...).
    public var layout: String
    /// Everyone who speaks or is listed, each once.
    public var participants: [Participant]
    /// The turns, in the order they were spoken.
    public var utterances: [Utterance]

    /// Creates a transcript.
    public init(
        company: String? = nil, ticker: String? = nil, fiscalQuarter: Int? = nil, fiscalYear: Int? = nil,
        callDate: LocalDate? = nil, layout: String, participants: [Participant] = [], utterances: [Utterance] = []
    ) {
        self.company = company
        self.ticker = ticker
        self.fiscalQuarter = fiscalQuarter
        self.fiscalYear = fiscalYear
        self.callDate = callDate
        self.layout = layout
        self.participants = participants
        self.utterances = utterances
    }
}

/// What a transcript reader returned for one file: the transcript (best effort) and the diagnostics.
public struct TranscriptDocument: Sendable {
    /// What was read; empty utterances when nothing could be.
    public var transcript: Transcript
    /// Everything worth telling the user.
    public var diagnostics: [Diagnostic]
    /// True when nothing in the file could be read as a transcript at all.
    public var unreadable: Bool

    /// Creates a result.
    public init(transcript: Transcript, diagnostics: [Diagnostic] = [], unreadable: Bool = false) {
        self.transcript = transcript
        self.diagnostics = diagnostics
        self.unreadable = unreadable
    }

    /// True if any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
