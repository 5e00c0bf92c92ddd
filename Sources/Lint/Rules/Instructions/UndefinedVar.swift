import DockerfileSyntax

/// BuildKit check UndefinedVar.
struct UndefinedVarCheck: LintRule {
    static let description = RuleDescription(
        code: "UndefinedVar", origin: .buildkit, category: .instructions, name: "undefined-var", severity: .warning,
        summary: "Variables should be defined before their use",
        rationale: """
            An undefined variable expands to nothing. Offline, dockerkit cannot read the base image's environment, so \
            variables base images commonly set (PATH, HOME, JAVA_HOME, CUDA_VERSION, …) count as defined.
            """,
        documentation: "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
        triggeringExamples: ["FROM alpine AS base\n↓COPY $foo .\n", "FROM alpine AS base\n↓ARG VERSION=$foo\n",
                             "FROM alpine\n↓ENV PATH=$PAHT:/app/bin\n"],
        nonTriggeringExamples: ["FROM alpine AS base\nARG foo\nCOPY $foo .\n", "FROM python AS base\nRUN echo $PYTHON_VERSION\n",
                                "FROM alpine\nENV A=1\nFROM 0\nRUN echo $A\nWORKDIR /$A\n"])

    /// The instructions whose arguments BuildKit expands. A switch, not a `Set<InstructionKind>`: building that set at
    /// start-up costs the runtime a scan of every protocol conformance in the binary, a noticeable share of a
    /// one-file run.
    static func expands(_ kind: InstructionKind) -> Bool {
        switch kind {
        case .env, .arg, .label, .copy, .add, .workdir, .user, .expose, .volume, .stopsignal: return true
        default: return false
        }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        // Indexed by stage (an array: a dictionary keyed by Int costs a conformance scan at start-up, see above).
        var environmentByStage: [Set<String>] = []
        for stage in file.stages {
            // Names the stage defines; BuildKit's predefined and the common base image variables are asked apart,
            // so a stage does not copy them into a set of its own.
            var defined = Set<String>()
            if let parent = stage.parentStage, parent < environmentByStage.count { defined.formUnion(environmentByStage[parent]) }
            if stage.baseImage.text.allSatisfy(\.isNumber), let number = Int(stage.baseImage.text), number < stage.index,
               number < environmentByStage.count {
                defined.formUnion(environmentByStage[number])
            }
            var environmentNames = Set<String>()
            if let parent = stage.parentStage, parent < environmentByStage.count {
                environmentNames.formUnion(environmentByStage[parent])
            }
            for index in stage.instructionIndices.dropFirst() {
                let instruction = file.instructions[index]
                guard Self.expands(instruction.kind) else { continue }
                // Only a `$` in its bytes can make a reference: most instructions have none, and their words are not
                // made at all (an ENV's and an ARG's names are still read, as they define).
                let mayReference = file.tree.source[instruction.range.offsets].contains(UInt8(ascii: "$"))
                guard mayReference || instruction.kind == .env || instruction.kind == .arg else { continue }
                let pairs = KeyValueInstruction(instruction)
                let arg = ArgInstruction(instruction)
                var words: [String] = []
                if mayReference {
                    if let pairs {
                        words = pairs.pairs.map(\.value.text) + pairs.pairs.map(\.key.text)
                    } else if let arg {
                        words = arg.definitions.compactMap(\.defaultValue)
                    } else if !instruction.isJSON || instruction.kind == .copy || instruction.kind == .add || instruction.kind == .volume {
                        words = instruction.values.map(\.text) + instruction.flags.compactMap(\.value)
                    }
                }
                var reported = Set<String>()
                for word in words {
                    for name in BuildKitSupport.referencedVariables(in: word, escapeToken: file.tree.escapeToken).sorted()
                    where !Self.isDefined(name, in: defined) && reported.insert(name).inserted {
                        // The three sets in turn, not their union: a name in two of them is the same suggestion.
                        let candidates = [defined, BuildKitSupport.predefinedArguments, BuildKitSupport.commonBaseImageVariables].joined()
                        let hint = BuildKitSupport.suggestion(for: name, among: candidates).map { " (did you mean $\($0)?)" } ?? ""
                        findings.append(finding("Usage of undefined variable '$\(name)'\(hint)", at: instruction.keyword.range))
                    }
                }
                if let arg { defined.formUnion(arg.definitions.map(\.name)) }
                if instruction.kind == .env, let env = pairs {
                    let names = env.pairs.map(\.key.text)
                    defined.formUnion(names)
                    environmentNames.formUnion(names)
                }
            }
            environmentByStage.append(environmentNames)
        }
        return findings
    }

    private static func isDefined(_ name: String, in defined: Set<String>) -> Bool {
        defined.contains(name) || BuildKitSupport.predefinedArguments.contains(name) || BuildKitSupport.commonBaseImageVariables.contains(name)
    }
}
