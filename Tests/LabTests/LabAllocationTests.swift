import Lint
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
    try LabAllocator.plan(definition, state: state)
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

@Test func removingAMemberMovesNobodyAndFreesTheirPort() throws {
    let first = try plan(try lab(["alice", "bob", "carol"]))
    let second = try plan(try lab(["alice", "carol"]), after: first.state)
    #expect(ports(second) == ["alice": 2200, "carol": 2202])
    #expect(second.departed == ["bob"])
    let third = try plan(try lab(["alice", "carol", "erin"]), after: second.state)
    #expect(ports(third)["erin"] == 2201)
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
        #expect(error.message == "member 'carol': no free ssh port: 2200-2201 is full (2 members); widen ports.ssh")
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
    let decoded = try LabState.decode(Array(text.utf8), path: "lab.state.json")
    #expect(decoded == first.state)
}

@Test func aDamagedStateFileIsAnErrorThatSaysWhatToDo() {
    #expect(throws: (any Error).self) { try LabState.decode(Array("{\"members\": {\"a\": {\"uid\": \"x\"}}}".utf8), path: "s") }
    #expect(throws: (any Error).self) { try LabState.decode(Array("not json".utf8), path: "s") }
}
