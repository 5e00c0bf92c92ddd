/// One build stage: its FROM and the instructions up to the next FROM.
public struct BuildStage: Sendable {
    public let index: Int
    public let from: FromInstruction
    /// Indices into the tree's instructions of this stage's instructions, FROM first.
    public let instructionIndices: Range<Int>

    /// The name after `AS`, as written.
    public var name: String? { from.stageName?.text }
}

extension DockerfileSyntaxTree {
    /// The build stages of `instructions` (the tree's); instructions before the first FROM belong to none.
    public static func buildStages(of instructions: [Instruction]) -> [BuildStage] {
        var stages: [BuildStage] = []
        var pending: (from: FromInstruction, start: Int)?
        // The kind is stored beside each instruction in the array: only a FROM's storage is read (on a large file,
        // reading every instruction's is a cache miss each). The FROMs are found first, in a loop that carries nothing
        // else: one that carries `pending` moves it (a few hundred bytes) at every instruction.
        let fromIndices = instructions.indices.filter { instructions[$0].kind == .from }
        for index in fromIndices {
            guard let from = FromInstruction(instructions[index]) else { continue }
            if let pending { stages.append(BuildStage(index: stages.count, from: pending.from, instructionIndices: pending.start..<index)) }
            pending = (from, index)
        }
        if let pending { stages.append(BuildStage(index: stages.count, from: pending.from, instructionIndices: pending.start..<instructions.count)) }
        return stages
    }

    /// The first stage named `name` (names compare case-insensitively, as BuildKit's do).
    public static func stage(named name: String, in stages: [BuildStage]) -> BuildStage? {
        let wanted = name.lowercased()
        return stages.first { $0.name?.lowercased() == wanted }
    }
}
