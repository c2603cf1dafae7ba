import FinDocCore
import Testing

/// Roles from the titles found in transcripts (examples copied from the layouts' participant lines).
@Suite struct ParticipantRoleTests {
    @Test(arguments: [
        ("Analyst", nil, ParticipantRole.analyst), (nil, "Jefferies -- Analyst", .analyst),
        ("MD", "Crédit Suisse AG, Research Division", .analyst), ("Chief Financial Officer", nil, .executive),
        ("Senior VP of Finance & CFO", "Analog Devices, Inc.", .executive), ("Head of Research", "Acme Pharma", .executive),
        ("Vice President-Investor Relations", nil, .executive), (nil, "Wolfe Research", .analyst), (nil, nil, .other),
        ("Cullen/Frost Bankers, Inc", nil, .other),
    ] as [(String?, String?, ParticipantRole)])
    func roleFromTitle(_ title: String?, _ company: String?, _ role: ParticipantRole) {
        #expect(ParticipantRole.from(title: title, company: company) == role)
    }

    @Test func namesDecideOperatorsAndUnidentifiedAnalysts() {
        #expect(ParticipantRole.from(title: nil, name: "Operator") == .operator)
        #expect(ParticipantRole.from(title: nil, name: "Unidentified Analyst") == .analyst)
    }
}
