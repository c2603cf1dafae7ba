import FinDocCore
import FinDocXML

/// Reads typed values out of invoice elements and collects the findings: shared by the UBL and CII readers so that
/// both report a bad number or date the same way.
struct InvoiceFieldReader {
    /// The file, for locations.
    let path: String
    /// Findings so far.
    var diagnostics: [Diagnostic] = []
    /// Where each single-valued term was found.
    var termLocations: [String: SourceLocation] = [:]

    init(path: String) {
        self.path = path
    }

    /// The location of `element`: its line and XPath.
    func location(_ element: XMLElement) -> SourceLocation {
        SourceLocation(file: path, line: element.line > 0 ? element.line : nil, xpath: element.xpath)
    }

    /// Records where a business term was found.
    mutating func note(_ term: String, _ element: XMLElement?) {
        guard let element else { return }
        termLocations[term] = location(element)
    }

    /// The element's text as an exact decimal. A present but malformed value is an error naming the term.
    mutating func decimal(_ element: XMLElement?, term: String) -> ExactDecimal? {
        guard let element, let text = element.text else { return nil }
        if let value = ExactDecimal(text) { return value }
        diagnostics.append(
            Diagnostic(
                .error, code: "invoice.decimal",
                message: "\(term) should be a decimal number such as 1234.56, found \"\(text.prefix(40))\"",
                location: location(element)))
        return nil
    }

    /// A date written `YYYY-MM-DD` (UBL) or, with `format="102"`, `YYYYMMDD` (CII); errors for anything else.
    mutating func date(_ element: XMLElement?, term: String) -> LocalDate? {
        guard let element, let text = element.text else { return nil }
        if let date = LocalDate(iso: text) { return date }
        // xs:date may carry a time zone ("2016-04-04+01:00", "2016-04-04Z"); the calendar day is what counts.
        if text.utf8.count > 10, let date = LocalDate(iso: text.prefix(10)) {
            let zone = text.dropFirst(10)
            if zone == "Z" || ((zone.first == "+" || zone.first == "-") && zone.count == 6) { return date }
        }
        let digits = Array(text.utf8)
        if digits.count == 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if let date = LocalDate(year: value / 10_000, month: value / 100 % 100, day: value % 100) { return date }
        }
        diagnostics.append(
            Diagnostic(
                .error, code: "invoice.date",
                message: "\(term) should be a date (YYYY-MM-DD, or YYYYMMDD with format 102), found \"\(text.prefix(40))\"",
                location: location(element)))
        return nil
    }

    /// A currency code; errors when it is not three letters.
    mutating func currency(_ element: XMLElement?, term: String) -> CurrencyCode? {
        guard let element, let text = element.text else { return nil }
        if let code = CurrencyCode(text) { return code }
        diagnostics.append(
            Diagnostic(
                .error, code: "invoice.currency",
                message: "\(term) should be an ISO 4217 currency code such as EUR, found \"\(text.prefix(40))\"",
                location: location(element)))
        return nil
    }

    /// A CII indicator (`<udt:Indicator>true</udt:Indicator>`) or UBL boolean.
    static func bool(_ text: String?) -> Bool? {
        switch text?.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

extension Array where Element == String {
    /// Appends `value` when it is non-nil.
    mutating func append(ifPresent value: String?) {
        if let value { append(value) }
    }
}
