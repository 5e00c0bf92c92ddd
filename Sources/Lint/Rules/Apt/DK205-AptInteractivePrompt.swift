import DockerfileSyntax
import Shell

/// DK205: apt installs a package that asks questions, with nothing telling debconf not to.
struct AptInteractivePromptRule: LintRule {
    static let description = RuleDescription(
        code: "DK205", origin: .dockerkit, category: .apt, name: "apt-interactive-prompt", severity: .warning,
        summary: "This apt install asks a question (keyboard layout, time zone) and the build stops there",
        rationale: """
            Desktop packages pull in keyboard-configuration and tzdata, whose debconf questions wait for an answer \
            that never comes in a build. Set DEBIAN_FRONTEND=noninteractive for the build (ARG, or before the command); \
            the fix puts it before the apt command.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK205.md",
        triggeringExamples: [
            RuleExample("FROM ubuntu:22.04\nRUN apt-get update && ↓apt-get install -y xfce4 tigervnc-standalone-server\n",
                        fixed: "FROM ubuntu:22.04\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y xfce4 tigervnc-standalone-server\n"),
            "FROM ubuntu:22.04\nRUN ↓apt install -y tzdata\n",
        ],
        nonTriggeringExamples: ["FROM ubuntu:22.04\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && apt-get install -y xfce4\n",
                                "FROM ubuntu:22.04\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y tzdata\n",
                                "FROM ubuntu:22.04\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y ubuntu-desktop\n",
                                "FROM ubuntu:22.04\nRUN export DEBIAN_FRONTEND=noninteractive && apt-get install -y xfce4\n",
                                "FROM ubuntu:22.04\nRUN apt-get install -y curl\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        var firstSetters: [Int: Int?] = [:]
        // Installs that name an asking package are few, and the RUNs holding one were marked when their scripts were
        // read (``ScriptFacts``): only those RUNs' commands are read again. For each such install, what comes before it
        // (an export in its RUN, an ARG or ENV in its stage) is read next.
        for index in file.runInstructionIndices where file.scriptFacts[index].contains(.installsAskingPackage) {
            for located in file.commands(of: index) where Self.installsAskingPackage(located.command) {
                guard !exportsFrontend(before: located, in: file),
                      !setsFrontendBefore(located.instructionIndex, in: file, firstSetters: &firstSetters) else { continue }
                // `DEBIAN_FRONTEND=… apt-get` sets it for that command; the shell reader keeps the assignment
                // out of the command's words, so look at the text before it.
                let range = file.range(of: located)
                let before = file.text(SourceRange(start: file.instructions[located.instructionIndex].range.start, end: range.start))
                if before.hasSuffix("DEBIAN_FRONTEND=noninteractive ") || before.hasSuffix("DEBIAN_FRONTEND=noninteractive\t") { continue }
                let fix = Fix(summary: "set DEBIAN_FRONTEND=noninteractive for this command",
                              edits: [TextEdit(offsets: range.start.offset..<range.start.offset, replacement: "DEBIAN_FRONTEND=noninteractive ")])
                findings.append(finding(description.summary, at: range, fix: fix))
            }
        }
        return findings
    }

    /// An apt install naming a package that asks a question: any word naming one first (cheap), then hadolint's
    /// reading of which words are packages. ``ScriptFacts`` asks this of every command when a script is read.
    static func installsAskingPackage(_ command: ShellCommand) -> Bool {
        command.isAptInstall && command.argumentValues.contains(where: namesAskingPackage)
            && command.aptPackages.contains(where: { namesAskingPackage($0.value) })
    }

    /// Whether an `export DEBIAN_FRONTEND=…` comes before `located` in its RUN.
    private func exportsFrontend(before located: LocatedCommand, in file: LintedFile) -> Bool {
        for earlier in file.commands(of: located.instructionIndex) {
            if earlier.command === located.command { return false }
            if earlier.command.baseName == "export" && earlier.command.argumentValues.contains(where: { $0.hasPrefix("DEBIAN_FRONTEND=") }) { return true }
        }
        return false
    }

    /// Whether an ARG or ENV earlier in the instruction's stage (or the stages it builds on) sets DEBIAN_FRONTEND.
    /// `firstSetters` keeps each stage's first such instruction, so a stage is read once however many installs ask.
    private func setsFrontendBefore(_ index: Int, in file: LintedFile, firstSetters: inout [Int: Int?]) -> Bool {
        var stage = file.stage(of: index)
        var end = index
        while let current = stage {
            let first: Int?
            if let known = firstSetters[current.index] {
                first = known
            } else {
                first = current.instructionIndices.first { setsFrontend(file.instructions[$0]) }
                firstSetters[current.index] = first
            }
            if let first, first < end { return true }
            stage = current.parentStage.map { file.stages[$0] }
            end = stage?.instructionIndices.upperBound ?? 0
        }
        return false
    }

    private func setsFrontend(_ instruction: Instruction) -> Bool {
        if let arg = ArgInstruction(instruction), arg.definitions.contains(where: { $0.name == "DEBIAN_FRONTEND" }) { return true }
        guard instruction.kind == .env, let env = KeyValueInstruction(instruction) else { return false }
        return env.pairs.contains { $0.key.text == "DEBIAN_FRONTEND" }
    }

    /// Packages whose installation asks debconf questions, directly or through what they pull in, by their name's
    /// first byte: a word is compared with the few that start like it, with no hashing (every word of every apt
    /// install passes through here). A switch of constant lists, not a table built at first use, which was a
    /// noticeable part of a one-file lint.
    private static func askingPackages(startingWith first: UInt8) -> [StaticString] {
        switch first {
        case UInt8(ascii: "c"): ["console-setup"]
        case UInt8(ascii: "g"): ["gnome", "gnome-core", "gnome-session", "gdm3"]
        case UInt8(ascii: "i"): ["iptables-persistent"]
        case UInt8(ascii: "k"): ["keyboard-configuration", "kubuntu-desktop", "kde-plasma-desktop"]
        case UInt8(ascii: "l"): ["lubuntu-desktop", "lxde", "lxde-core", "lxqt", "lightdm"]
        case UInt8(ascii: "m"): ["mate-desktop-environment", "mate-desktop-environment-core", "mysql-server"]
        case UInt8(ascii: "p"): ["postfix"]
        case UInt8(ascii: "s"): ["sddm"]
        case UInt8(ascii: "t"): ["tzdata", "task-xfce-desktop", "task-gnome-desktop", "task-kde-desktop", "task-lxde-desktop",
                                 "task-mate-desktop", "tightvncserver"]
        case UInt8(ascii: "u"): ["ubuntu-desktop", "ubuntu-desktop-minimal"]
        case UInt8(ascii: "w"): ["wireshark"]
        case UInt8(ascii: "x"): ["xfce4", "xfce4-goodies", "xubuntu-desktop", "xserver-xorg", "xorg", "x11vnc"]
        default: []
        }
    }

    /// Whether an install word names an asking package, with or without a version or architecture
    /// (`tzdata=2024a-1`, `tzdata:amd64`).
    private static func namesAskingPackage(_ word: String) -> Bool {
        var word = word
        return word.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            let end = bytes.firstIndex { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") } ?? bytes.count
            return askingPackages(startingWith: first).contains { name in
                name.utf8CodeUnitCount == end && UnsafeBufferPointer(start: name.utf8Start, count: end).elementsEqual(bytes[..<end])
            }
        }
    }
}
