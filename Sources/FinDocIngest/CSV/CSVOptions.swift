import FinDocCore

/// What the user can force when reading CSV statements; everything left nil is decided from the file.
public struct CSVOptions: Sendable {
    /// Use this profile instead of choosing one by the headers (or mapping columns automatically).
    public var profile: CSVProfile?
    /// Account identifier for rows without an account column value.
    public var account: String?
    /// Currency for rows without a currency column value; wins over a profile's default.
    public var defaultCurrency: CurrencyCode?
    /// Order of all-numeric dates; wins over the profile and over what the values suggest.
    public var dateOrder: DateOrder?

    /// Creates options.
    public init(
        profile: CSVProfile? = nil, account: String? = nil, defaultCurrency: CurrencyCode? = nil,
        dateOrder: DateOrder? = nil
    ) {
        self.profile = profile
        self.account = account
        self.defaultCurrency = defaultCurrency
        self.dateOrder = dateOrder
    }
}
