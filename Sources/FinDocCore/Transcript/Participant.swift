/// What part someone plays on a call.
public enum ParticipantRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// The conference operator.
    case `operator`
    /// Someone from the company holding the call (executives, investor relations).
    case executive
    /// A sell-side or buy-side analyst asking questions.
    case analyst
    /// Anyone else, or not known.
    case other

    /// The role a title implies: "Analyst" (or a research firm) → analyst, an officer's or IR title → executive.
    ///
    /// Why a keyword test: titles in the wild are free text ("Jefferies -- Analyst", "SVP, IR",
    /// "Crédit Suisse AG, Research Division - Director"); the few words that decide are stable.
    public static func from(title: String?, company: String? = nil, name: String = "") -> ParticipantRole {
        if name.lowercased() == "operator" { return .operator }
        if name.lowercased().hasSuffix("analyst") { return .analyst }
        let text = ((title ?? "") + " " + (company ?? "")).lowercased()
        if text.trimmingWhitespace().isEmpty { return .other }
        // Sell-side firms: "Analyst", or the "Research Division" StreetEvents adds to the firm.
        if text.contains("analyst") || text.contains("research division") { return .analyst }
        let executiveWords = [
            "chief", "officer", "president", "ceo", "cfo", "coo", "cto", "director", "investor relations", "vp",
            "chairman", "chair", "head", "treasurer", "secretary", "controller", "founder", "executive", "manager",
            "general counsel", "ir", "partner", "principal", "member of the board", "leader", "lead", "evp", "svp",
        ]
        let words = Set(text.split(whereSeparator: { !$0.isLetter }).map(String.init))
        for keyword in executiveWords {
            if keyword.contains(" ") ? text.contains(keyword) : words.contains(keyword) { return .executive }
        }
        // A research firm with no title ("Wolfe Research"); a company's "Head of Research" matched above.
        if words.contains("research") || words.contains("securities") || words.contains("capital") { return .analyst }
        return .other
    }
}

/// Someone on a call.
public struct Participant: Sendable, Hashable {
    /// The name as the transcript gives it (the fullest form seen).
    public var name: String
    /// The job title, when given.
    public var title: String?
    /// The employer, when given (the analyst's firm, or the company).
    public var company: String?
    /// Their part on the call.
    public var role: ParticipantRole

    /// Creates a participant.
    public init(name: String, title: String? = nil, company: String? = nil, role: ParticipantRole) {
        self.name = name
        self.title = title
        self.company = company
        self.role = role
    }
}

extension String {
    /// The string without leading and trailing white space (Foundation-free).
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
