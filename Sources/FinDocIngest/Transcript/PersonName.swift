/// A person's name reduced to what identifies them, so "Tim Cook", "Timothy D. Cook" and "TIMOTHY COOK" compare equal.
///
/// Initials, honorifics and suffixes are dropped; the first name may be a nickname or a prefix of the other's
/// ("Tim"/"Timothy", "Mike"/"Michael"). Surnames must agree.
struct PersonName: Hashable, Sendable {
    /// Lower-case name words without initials, honorifics or suffixes.
    let words: [String]

    init(_ name: String) {
        var words: [String] = []
        for raw in name.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            let cleaned = raw.lowercased().filter { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" }
            if cleaned.count <= 1 { continue }
            if raw.hasSuffix("."), cleaned.count <= 2, !Self.keepShort.contains(cleaned) { continue }
            if Self.dropped.contains(cleaned) { continue }
            words.append(cleaned)
        }
        self.words = words
    }

    /// Whether both names plausibly denote the same person.
    func matches(_ other: PersonName) -> Bool {
        guard let last = words.last, let otherLast = other.words.last, let first = words.first,
            let otherFirst = other.words.first
        else { return false }
        if words == other.words { return true }
        guard last == otherLast || last.replacingHyphens == otherLast.replacingHyphens else { return false }
        if words.count == 1 || other.words.count == 1 { return false }
        return Self.sameFirstName(first, otherFirst)
    }

    static func sameFirstName(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.count >= 3, b.hasPrefix(a) { return true }
        if b.count >= 3, a.hasPrefix(b) { return true }
        if let forms = nicknames[a], forms.contains(b) { return true }
        if let forms = nicknames[b], forms.contains(a) { return true }
        return false
    }

    private static let keepShort: Set<String> = ["ng", "li", "wu", "xu", "ho", "yu", "ma", "he", "hu", "lu", "jo", "al", "ed"]
    private static let dropped: Set<String> = [
        "mr", "mrs", "ms", "dr", "jr", "sr", "ii", "iii", "iv", "cfa", "cpa", "phd", "esq", "sir", "prof",
    ]
    private static let nicknames: [String: Set<String>] = [
        "mike": ["michael"], "bob": ["robert"], "rob": ["robert"], "bill": ["william"], "will": ["william"],
        "jim": ["james"], "jamie": ["james"], "joe": ["joseph"], "tony": ["anthony"], "steve": ["steven", "stephen"],
        "dave": ["david"], "tom": ["thomas"], "chris": ["christopher", "christine", "christina"],
        "matt": ["matthew"], "dan": ["daniel"], "danny": ["daniel"], "doug": ["douglas"], "ed": ["edward"],
        "ted": ["edward", "theodore"], "rick": ["richard"], "rich": ["richard"], "dick": ["richard"],
        "ben": ["benjamin"], "sam": ["samuel", "samantha"], "alex": ["alexander", "alexandra"], "andy": ["andrew"],
        "greg": ["gregory"], "jeff": ["jeffrey", "jeffery"], "ken": ["kenneth"], "nick": ["nicholas"],
        "pat": ["patrick", "patricia"], "ron": ["ronald"], "vince": ["vincent"], "liz": ["elizabeth"],
        "beth": ["elizabeth"], "kate": ["katherine", "catherine"], "jackie": ["jacqueline"], "jack": ["john"],
        "jon": ["jonathan"], "larry": ["lawrence"], "charlie": ["charles"], "chuck": ["charles"],
        "hank": ["henry"], "jerry": ["gerald", "jerome"], "gerry": ["gerald"], "peggy": ["margaret"],
        "meg": ["margaret"], "sue": ["susan"], "tim": ["timothy"], "toshi": ["toshiya"], "fred": ["frederick"],
        "vin": ["vincent"], "stu": ["stuart"], "walt": ["walter"], "phil": ["philip", "phillip"],
        "art": ["arthur"], "al": ["albert", "alan", "allen"], "abe": ["abraham"], "frank": ["francis"],
        "josh": ["joshua"], "zach": ["zachary"], "manny": ["manuel"], "rafa": ["rafael"],
    ]
}

extension String {
    fileprivate var replacingHyphens: String { String(map { $0 == "-" ? " " : $0 }) }
}
