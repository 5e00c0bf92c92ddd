import Shell

/// What the file-wide rules that read every RUN's commands ask first of a script: whether a command updates the
/// package lists, installs a package whose debconf questions stop a build, or may write a mirror's host, and whether
/// the script pipes, nests too deeply or cannot be read at all. Read once, with the script (an editor's next version
/// reuses it for an unchanged instruction), so that those rules pass over a RUN without any of these without touching
/// its commands: on a large file, reading every command again in each rule costs more than the rules' own work.
struct ScriptFacts: OptionSet, Sendable {
    let rawValue: UInt8

    /// Some command is ``ShellCommand/isAptUpdate`` (DK201 and DL3009 start there).
    static let updatesLists = ScriptFacts(rawValue: 1 << 0)
    /// Some command is one that ``AptInteractivePromptRule/installsAskingPackage(_:)`` accepts.
    static let installsAskingPackage = ScriptFacts(rawValue: 1 << 1)
    /// Some command is one that ``MirrorUses/mayWriteHost(_:)`` accepts.
    static let mayWriteMirrorHost = ScriptFacts(rawValue: 1 << 2)
    /// ``ShellScript/hasPipes`` (DL4006).
    static let hasPipes = ScriptFacts(rawValue: 1 << 3)
    /// ``ShellScript/isTooDeeplyNested`` (DK002).
    static let isTooDeeplyNested = ScriptFacts(rawValue: 1 << 4)
    /// Not ``ShellScript/isValid`` (DK502 looks for `bash <(curl …)` there).
    static let isInvalid = ScriptFacts(rawValue: 1 << 5)

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The facts of a script's commands.
    init(of script: ShellScript) {
        var facts: ScriptFacts = []
        if script.hasPipes { facts.insert(.hasPipes) }
        if script.isTooDeeplyNested { facts.insert(.isTooDeeplyNested) }
        if !script.isValid { facts.insert(.isInvalid) }
        for command in script.commands {
            if command.isAptUpdate { facts.insert(.updatesLists) }
            if AptInteractivePromptRule.installsAskingPackage(command) { facts.insert(.installsAskingPackage) }
            if MirrorUses.mayWriteHost(command) { facts.insert(.mayWriteMirrorHost) }
        }
        self = facts
    }
}
