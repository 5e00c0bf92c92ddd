import Knowledge
import DockerfileSyntax

/// BuildKit check InvalidDefaultArgInFrom.
struct InvalidDefaultArgInFromCheck: LintRule {
    static let description = RuleDescription(
        code: "InvalidDefaultArgInFrom", origin: .buildkit, category: .images, name: "invalid-default-arg-in-from", severity: .warning,
        summary: "Default value for global ARG results in an empty or invalid base image name",
        rationale: "Without a --build-arg the image reference is broken and the build fails.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
        triggeringExamples: ["ARG TAG\n↓FROM busybox:${TAG}\n"],
        nonTriggeringExamples: ["ARG TAG=latest\nFROM busybox:${TAG}\n", "ARG VARIANT\nFROM busybox:stable${VARIANT}\n",
                                "ARG TAG\nFROM alpine:${TAG:-3.14}\n"])

    static func isValidReference(_ text: String) -> Bool {
        guard !text.isEmpty, !text.hasSuffix(":"), !text.hasSuffix("@"), !text.hasPrefix(":"), !text.hasPrefix("/"),
              !text.contains("//"), !text.hasSuffix("/") else { return false }
        let reference = ImageReference(text)
        if let tag = reference.tag, tag.isEmpty || tag.count > 128 || !tag.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) {
            return false
        }
        return reference.repositoryName.allSatisfy { $0.isLowercase || $0.isNumber || "._-/".contains($0) }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var defaults: [String: String] = [:]
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .arg, .from) {
            let instruction = file.instructions[index]
            if file.stageOfInstruction[index] == nil, let arg = ArgInstruction(instruction) {
                for definition in arg.definitions {
                    defaults[definition.name] = definition.defaultValue.map { LintedFile.unquote($0, file.tree.escapeToken) } ?? ""
                }
            }
            guard let from = FromInstruction(instruction), let image = from.image, image.text.contains("$") else { continue }
            let used = BuildKitSupport.referencedVariables(in: image.text, escapeToken: file.tree.escapeToken)
            guard used.allSatisfy({ defaults[$0] != nil }) else { continue }
            var expander = ShellWordExpander(escapeToken: Unicode.Scalar(file.tree.escapeToken))
            expander.leavesUnsetVariables = false
            guard let expanded = try? expander.expand(image.text, environment: defaults).value else { continue }
            if !Self.isValidReference(expanded) {
                findings.append(finding("Default value for ARG \(image.text) results in empty or invalid base image name", at: instruction.keyword.range))
            }
        }
        return findings
    }
}
