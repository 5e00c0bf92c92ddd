import Support
import Testing
@testable import Lab

/// A lab of these members in order; `memberGPUs` gives a member's `gpus:` value as written.
private func lab(_ members: [String], ports: String = "2200-2299", gpus: String = "[0, 1, 2, 3]",
                 memberGPUs: [String: String] = [:]) throws(ConfigurationError) -> LabDefinition {
    let list = members.map { name in "  - {name: \(name), key: keys/\(name).pub\(memberGPUs[name].map { ", gpus: \($0)" } ?? "")}\n" }.joined()
    return try readLab("name: l\nimage: {ref: local/lab:1}\nports: {ssh: \(ports)}\ngpus: \(gpus)\nmembers:\n" + list)
}

/// Plans `definition` on what `state` records.
private func plan(_ definition: LabDefinition, after state: LabState = LabState()) throws(ConfigurationError) -> LabPlan {
    try LabAllocator.plan(definition, state: state, today: "2026-12-07")
}

private func ports(_ plan: LabPlan) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: plan.members.map { ($0.name, $0.port(of: .ssh) ?? 0) })
}

@Test func newMembersGetTheLowestFreePortsInOrder() throws {
    let first = try plan(try lab(["alice", "bob", "carol"]))
    #expect(ports(first) == ["alice": 2200, "bob": 2201, "carol": 2202])
    #expect(first.members.allSatisfy { $0.isNew })
    #expect(first.members.map(\.uid) == [2001, 2002, 2003])
}

@Test func addingAMemberMovesNobody() throws {
    let first = try plan(try lab(["alice", "bob", "carol"]))
    let second = try plan(try lab(["dave", "alice", "bob", "carol"]), after: first.state)
    #expect(ports(second) == ["alice": 2200, "bob": 2201, "carol": 2202, "dave": 2203])
    #expect(second.members.map(\.isNew) == [true, false, false, false])
    #expect(second.members.first { $0.name == "dave" }?.uid == 2004)
}

@Test func aMemberWhoLeftKeepsTheirUIDAndPortFromNewMembers() throws {
    let first = try plan(try lab(["alice", "bob", "carol"]))
    let second = try plan(try lab(["alice", "carol"]), after: first.state)
    #expect(ports(second) == ["alice": 2200, "carol": 2202])
    #expect(second.departed == [DepartedMember(name: "bob", uid: 2002, ports: [.ssh: 2201], since: "2026-12-07")])
    #expect(second.state.members["bob"]?.departed == "2026-12-07")
    let third = try plan(try lab(["alice", "carol", "erin"]), after: second.state)
    #expect(ports(third)["erin"] == 2203)
    #expect(third.members.first { $0.name == "erin" }?.uid == 2004)
    #expect(third.departed.first?.since == "2026-12-07")
}

@Test func aMemberAddedBackGetsTheirUIDAndPortAgain() throws {
    let first = try plan(try lab(["alice", "bob"]))
    let gone = try plan(try lab(["alice"]), after: first.state)
    let back = try plan(try lab(["alice", "carol", "bob"]), after: gone.state)
    #expect(ports(back)["bob"] == 2201)
    #expect(back.members.first { $0.name == "bob" }?.uid == 2002)
    #expect(back.departed.isEmpty)
    #expect(back.state.members["bob"]?.departed == nil)
}

@Test func aUIDKeptForAMemberWhoLeftCannotBeAskedForByAnother() throws {
    let first = try plan(try lab(["alice", "bob"]))
    let gone = try plan(try lab(["alice"]), after: first.state)
    let definition = try readLab("name: l\nimage: {ref: local/lab:1}\nmembers:\n  - {name: alice, key: keys/alice.pub}\n  - {name: carol, key: keys/carol.pub, uid: 2002}\n")
    #expect(throws: ConfigurationError.self) { try plan(definition, after: gone.state) }
}

@Test func reorderingMembersMovesNobody() throws {
    let first = try plan(try lab(["alice", "bob", "carol"]))
    let second = try plan(try lab(["carol", "alice", "bob"]), after: first.state)
    #expect(ports(second) == ports(first))
    #expect(second.members.map(\.uid) == [2003, 2001, 2002])
}

@Test func aPortOutsideANarrowedRangeMovesAndSaysWhy() throws {
    let first = try plan(try lab(["alice", "bob"]))
    let second = try plan(try lab(["alice", "bob"], ports: "2201-2210"), after: first.state)
    #expect(ports(second) == ["alice": 2202, "bob": 2201])
    #expect(second.members[0].changes == ["ssh port 2200 is outside 2201-2210"])
}

@Test func aFullPortRangeIsAnErrorNamingTheMember() throws {
    let definition = try lab(["alice", "bob", "carol"], ports: "2200-2201")
    do {
        _ = try plan(definition)
        Issue.record("carol got a port outside the range")
    } catch {
        #expect(error.message == "member 'carol': no free ssh port: 2200-2201 is full (members and those who left keep theirs); widen ports.ssh")
        #expect(error.line == 8)
    }
}

@Test func gpusAreStableAndTooManyIsAnError() throws {
    let asked = ["alice": "1", "bob": "2", "carol": "[3]"]
    let first = try plan(try lab(["alice", "bob", "carol"], memberGPUs: asked))
    #expect(first.members.map(\.gpus) == [["0"], ["1", "2"], ["3"]])
    let second = try plan(try lab(["dave", "carol", "bob", "alice"], memberGPUs: asked.merging(["dave": "0"]) { old, _ in old }), after: first.state)
    #expect(second.members.map(\.gpus) == [[], ["3"], ["1", "2"], ["0"]])
    let greedy = try lab(["alice", "bob", "carol", "dave"], memberGPUs: asked.merging(["dave": "1"]) { old, _ in old })
    do {
        _ = try plan(greedy, after: first.state)
        Issue.record("dave got a GPU that is not free")
    } catch {
        #expect(error.message == "member 'dave': asks for 1 GPUs; 0 of the lab's 4 are free (0: alice, 1: bob, 2: bob, 3: carol)")
    }
}

@Test func stateRoundTripsThroughItsFile() throws {
    let first = try plan(try lab(["alice", "bob"]))
    let text = first.state.encoded(labName: "l")
    #expect(text == """
        {
          "lab": "l",
          "members": {
            "alice": {"uid":2001,"gpus":[],"ports":{"ssh":2200}},
            "bob": {"uid":2002,"gpus":[],"ports":{"ssh":2201}}
          }
        }

        """)
    let decoded = try LabState.decode(Array(text.utf8), path: "lab.state.json", labName: "l")
    #expect(decoded == first.state)
}

/// Decoding `json` as lab `l`'s state fails; the error's message and position.
private func stateError(_ json: String) -> InputError? {
    do {
        _ = try LabState.decode(Array(json.utf8), path: "s", labName: "l")
        return nil
    } catch {
        return error
    }
}

@Test func aDamagedStateFileIsAnErrorThatSaysWhatToDo() {
    #expect(stateError("{\"members\": {\"a\": {\"uid\": \"x\"}}}") != nil)
    let notJSON = stateError("{\n  not json")
    #expect(notJSON?.line == 2)
    #expect(notJSON?.message.contains("move the file away") == true)
}

@Test func stateValuesAreRangeCheckedLikeTheLabFile() {
    let member = { (body: String) in "{\"lab\": \"l\", \"members\": {\n \"alice\": {\(body)}}}" }
    for uid in ["0", "-1", "1099511627776", "999", "60001", "2001.5"] {
        #expect(stateError(member("\"uid\": \(uid), \"ports\": {\"ssh\": 2200}"))?.message.contains("uid") == true, "uid \(uid)")
    }
    #expect(stateError(member("\"uid\": 2001, \"ports\": {\"ssh\": 70000}"))?.line == 2)
    #expect(stateError(member("\"uid\": 2001, \"ports\": {\"ftp\": 21}")) != nil)
    #expect(stateError(member("\"uid\": 2001, \"ports\": {}, \"gpus\": [\"all\"]")) != nil)
    #expect(stateError(member("\"uid\": 2001, \"ports\": {}, \"departed\": \"yesterday\"")) != nil)
    #expect(stateError("{\"lab\": \"l\", \"members\": {\"root\\u001b[2J\": {\"uid\": 2001, \"ports\": {}}}}")?.message.contains("\\x1b") == true)
    #expect(stateError("{\"lab\": \"l\", \"members\": {\"a\": {\"uid\": 2001, \"ports\": {\"ssh\": 2200}}, \"b\": {\"uid\": 2001, \"ports\": {}}}}") != nil)
    #expect(stateError(member("\"uid\": 2001, \"ports\": {\"ssh\": 2200}")) == nil)
}

@Test func anotherLabsStateIsRefused() {
    #expect(stateError("{\"lab\": \"other\", \"members\": {}}")?.message.contains("belongs to the lab 'other'") == true)
}
