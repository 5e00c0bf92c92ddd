import DockerfileSyntax

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

    /// Packages whose installation asks debconf questions, directly or through what they pull in.
    static let askingPackages: Set<String> = [
        "tzdata", "keyboard-configuration", "console-setup", "xfce4", "xfce4-goodies", "xubuntu-desktop", "ubuntu-desktop",
        "ubuntu-desktop-minimal", "kubuntu-desktop", "lubuntu-desktop", "lxde", "lxde-core", "lxqt", "mate-desktop-environment",
        "mate-desktop-environment-core", "kde-plasma-desktop", "gnome", "gnome-core", "gnome-session", "task-xfce-desktop",
        "task-gnome-desktop", "task-kde-desktop", "task-lxde-desktop", "task-mate-desktop", "xserver-xorg", "xorg",
        "x11vnc", "tightvncserver", "lightdm", "gdm3", "sddm", "postfix", "mysql-server", "wireshark", "iptables-persistent",
    ]

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices(running: ["apt-get", "apt", "aptitude"]) {
            let instruction = file.instructions[index]
            var exported = false
            for located in file.commands(of: index) {
                let command = located.command
                // Installs first: nearly every command of these RUNs is one, and an export never is.
                guard command.isAptInstall else {
                    if command.baseName == "export" && command.argumentValues.contains(where: { $0.hasPrefix("DEBIAN_FRONTEND=") }) { exported = true }
                    continue
                }
                // Any word naming an asking package first (cheap), then hadolint's reading of which words are packages.
                guard !exported,
                      command.argumentValues.contains(where: { Self.askingPackages.contains(packageName($0)) }),
                      command.aptPackages.contains(where: { Self.askingPackages.contains(packageName($0.value)) }),
                      !setsFrontendBefore(index, in: file) else { continue }
                // `DEBIAN_FRONTEND=… apt-get` sets it for that command; the shell reader keeps the assignment
                // out of the command's words, so look at the text before it.
                let range = file.range(of: located)
                let before = file.text(SourceRange(start: instruction.range.start, end: range.start))
                if before.hasSuffix("DEBIAN_FRONTEND=noninteractive ") || before.hasSuffix("DEBIAN_FRONTEND=noninteractive\t") { continue }
                let fix = Fix(summary: "set DEBIAN_FRONTEND=noninteractive for this command",
                              edits: [TextEdit(offsets: range.start.offset..<range.start.offset, replacement: "DEBIAN_FRONTEND=noninteractive ")])
                findings.append(finding(description.summary, at: range, fix: fix))
            }
        }
        return findings
    }

    /// Whether an ARG or ENV earlier in the instruction's stage (or the stages it builds on) sets DEBIAN_FRONTEND.
    private func setsFrontendBefore(_ index: Int, in file: LintedFile) -> Bool {
        var stage = file.stage(of: index)
        var end = index
        while let current = stage {
            for earlier in current.instructionIndices where earlier < end {
                let instruction = file.instructions[earlier]
                if let arg = ArgInstruction(instruction), arg.definitions.contains(where: { $0.name == "DEBIAN_FRONTEND" }) { return true }
                if instruction.kind == .env, let env = KeyValueInstruction(instruction), env.pairs.contains(where: { $0.key.text == "DEBIAN_FRONTEND" }) {
                    return true
                }
            }
            stage = current.parentStage.map { file.stages[$0] }
            end = stage?.instructionIndices.upperBound ?? 0
        }
        return false
    }

    /// `tzdata=2024a-1` → `tzdata` (on bytes: every apt-get install's packages pass through here).
    private func packageName(_ word: String) -> String {
        guard let end = word.utf8.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return word }
        return String(word[..<end])
    }
}
