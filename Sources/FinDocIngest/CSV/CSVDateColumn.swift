import FinDocCore

/// The reading of one date column, decided over all its values: a first part above 12 proves day-first, a second
/// part above 12 proves month-first, and a column where every value is ambiguous uses the forced or preferred order.
struct CSVDateColumn: Sendable {
    /// The order used for all-numeric dates.
    let order: DateOrder
    /// Nobody said which order and no value proved it, although some values read differently in the two orders.
    let ambiguous: Bool
    /// The order some values prove when most prove `order` (their rows are errors); nil when values agree.
    let contradicting: DateOrder?
    /// The pattern most values are written in, for messages.
    let pattern: String
    /// The order was forced (by the user or the profile): values are read in it and nothing else.
    let forced: Bool

    /// Why a cell is not a date.
    enum Failure: Error, Equatable {
        /// Blank cell.
        case empty
        /// Matches no supported format.
        case unrecognised
        /// Well-formed, but no such day (31/02/2017, month 13).
        case impossible
        /// Readable only in the order that the rest of the column contradicts.
        case contradicts(DateOrder)
    }

    /// Decides the column's reading from its values. `forced` (user option or profile) wins; `fallback` is used
    /// when the values leave the order open (e.g. the booking-date column's order for a value-date column).
    init(values: some Sequence<String>, forced: DateOrder?, fallback: DateOrder?) {
        var provesDMY = 0
        var provesMDY = 0
        var undecided = 0
        var firstNumeric: CSVDateParser.Shape?
        var firstFull: CSVDateParser.Shape?
        for value in values {
            guard let shape = CSVDateParser.shape(value) else { continue }
            guard case .numeric(let a, let b, _, _, _) = shape else {
                if firstFull == nil { firstFull = shape }
                continue
            }
            if firstNumeric == nil { firstNumeric = shape }
            if a > 12, b <= 12 { provesDMY += 1 } else if b > 12, a <= 12 { provesMDY += 1 } else if a != b, a <= 12, b <= 12 {
                undecided += 1
            }
        }
        var contradicting: DateOrder?
        let order: DateOrder
        if let forced {
            order = forced
        } else if provesDMY > 0, provesMDY > 0 {
            order = provesMDY > provesDMY ? .mdy : .dmy
            contradicting = order == .dmy ? .mdy : .dmy
        } else if provesMDY > 0 {
            order = .mdy
        } else if provesDMY > 0 {
            order = .dmy
        } else {
            order = fallback ?? .dmy
        }
        self.order = order
        self.forced = forced != nil
        self.contradicting = contradicting
        ambiguous = forced == nil && fallback == nil && provesDMY == 0 && provesMDY == 0 && undecided > 0
        pattern = CSVDateParser.pattern(of: firstNumeric ?? firstFull, order: order)
    }

    /// The date in a cell under the column's reading.
    func date(_ text: String) -> Result<LocalDate, Failure> {
        guard let shape = CSVDateParser.shape(text) else {
            return .failure(text.trimmingASCIIWhitespace().isEmpty ? .empty : .unrecognised)
        }
        switch shape {
        case .full(let y, let m, let d):
            return LocalDate(year: y, month: m, day: d).map { .success($0) } ?? .failure(.impossible)
        case .numeric(let a, let b, let c, let yearDigits, _):
            if !forced, let contradicting {
                let provesOther = contradicting == .dmy ? (a > 12 && b <= 12) : (b > 12 && a <= 12)
                if provesOther { return .failure(.contradicts(contradicting)) }
            }
            let date: LocalDate?
            switch order {
            case .dmy: date = LocalDate(year: CSVDateParser.expandYear(c, digits: yearDigits), month: b, day: a)
            case .mdy: date = LocalDate(year: CSVDateParser.expandYear(c, digits: yearDigits), month: a, day: b)
            case .ymd: date = LocalDate(year: CSVDateParser.expandYear(a, digits: 2), month: b, day: c)
            }
            return date.map { .success($0) } ?? .failure(.impossible)
        }
    }
}
