import Testing
@testable import Lab

@Test func theStatusPageNamesMembersAndEscapesWhatItShows() throws {
    let plan = try LabAllocator.plan(try readLab(issueExample), state: LabState(), today: "2026-12-07")
    let statuses = plan.members.map { MemberStatus(name: $0.name, plan: $0, state: .running, reason: nil, uptime: 60, health: nil) }
        + [MemberStatus(name: "zoe", plan: nil, state: .departed, reason: "left <script>alert(1)</script>", uptime: nil, health: nil)]
    let page = LabStatusPage.render(plan, statuses: statuses, usage: nil,
                                    checks: [DoctorCheck(name: "engine", status: .ok, detail: "answers", fix: "")], generated: "2026-12-07T00:00:00Z")
    for name in ["alice", "bob", "carol", "zoe"] { #expect(page.contains("data-member=\"\(name)\"")) }
    #expect(!page.contains("<script"))
    #expect(page.contains("&lt;script&gt;"))
    #expect(!page.contains("http://") && !page.contains("https://"), "the page loads nothing from elsewhere")
}

@Test func aBarIsClippedAndRedPastItsLimit() {
    #expect(LabStatusPage.bar(1.5, label: "x").contains("width=\"100\" height=\"10\" fill=\"#c33\""))
    #expect(LabStatusPage.bar(.nan, label: "x").contains("width=\"0\""))
}
