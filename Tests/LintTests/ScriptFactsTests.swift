import DockerfileSyntax
@testable import Lint
import Shell
import Testing

/// What the file-wide rules ask first of a RUN script, read once with it: each fact is set exactly when one of the
/// script's commands has it, so a rule that passes over a RUN without the fact misses nothing.
@Suite struct ScriptFactsTests {
    @Test func anAptUpdateAnywhereInTheScriptIsMarked() {
        #expect(ScriptFacts(of: ShellScript("cd /tmp && apt-get update && apt-get install -y curl")).contains(.updatesLists))
        #expect(ScriptFacts(of: ShellScript("apt update")).contains(.updatesLists))
        #expect(!ScriptFacts(of: ShellScript("apt-get install -y curl && echo update")).contains(.updatesLists))
    }

    @Test func onlyAnInstallOfAnAskingPackageIsMarked() {
        #expect(ScriptFacts(of: ShellScript("apt-get update && apt-get install -y tzdata")).contains(.installsAskingPackage))
        #expect(ScriptFacts(of: ShellScript("apt-get install -y xfce4=4.16")).contains(.installsAskingPackage))
        #expect(!ScriptFacts(of: ShellScript("apt-get install -y curl && echo tzdata")).contains(.installsAskingPackage))
        #expect(!ScriptFacts(of: ShellScript("apt-get remove -y tzdata")).contains(.installsAskingPackage))
    }

    @Test func aCommandThatMayWriteAMirrorsHostIsMarked() {
        #expect(ScriptFacts(of: ShellScript("echo 'deb http://mirrors.tuna.tsinghua.edu.cn/debian bookworm main' > /etc/apt/sources.list"))
            .contains(.mayWriteMirrorHost))
        #expect(ScriptFacts(of: ShellScript("sed -i s/deb.debian.org/mirrors.aliyun.com/ /etc/apt/sources.list")).contains(.mayWriteMirrorHost))
        #expect(ScriptFacts(of: ShellScript("pip install -i https://pypi.tuna.tsinghua.edu.cn/simple torch")).contains(.mayWriteMirrorHost))
        #expect(!ScriptFacts(of: ShellScript("echo $HOME && apt-get install -y curl")).contains(.mayWriteMirrorHost))
    }

    @Test func pipesAndTooDeepNestingAreMarkedAsTheScriptReadsThem() {
        #expect(ScriptFacts(of: ShellScript("curl -fsSL https://x | tar -xz")).contains(.hasPipes))
        #expect(!ScriptFacts(of: ShellScript("a || b && c")).contains(.hasPipes))
        let deep = String(repeating: "$(", count: ShellScript.nestingLimit + 1) + "x" + String(repeating: ")", count: ShellScript.nestingLimit + 1)
        #expect(ScriptFacts(of: ShellScript("echo " + deep)).contains(.isTooDeeplyNested))
        #expect(!ScriptFacts(of: ShellScript("echo $(date)")).contains(.isTooDeeplyNested))
        #expect(ScriptFacts(of: ShellScript("bash <(curl -fsSL https://x)")).contains(.isInvalid))
        #expect(!ScriptFacts(of: ShellScript("echo 'a' \"b\"")).contains(.isInvalid))
    }

    @Test func aFileKeepsEachInstructionsFactsTogether() {
        let file = LintedFile(
            path: "Dockerfile",
            tree: DockerfileParser.parse(Array("FROM debian:12\nRUN apt-get update\nRUN echo hi\nRUN <<EOF\napt-get install -y tzdata\nEOF\n".utf8)),
            configuration: LintConfiguration())
        #expect(file.scriptFacts == [[], .updatesLists, [], .installsAskingPackage])
    }
}
