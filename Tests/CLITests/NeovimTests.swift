import Foundation
import Testing

/// Debian's neovim, when installed (.ci/run installs it).
private let neovim: String? = ["/usr/bin/nvim", "/usr/local/bin/nvim"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.enabled(if: neovim != nil, "neovim is not installed: apt-get install neovim (.ci/run does)"))
struct NeovimTests {
    /// Neovim attaches `dockerkit lsp` to a Dockerfile and gets diagnostics, the quick fix and formatting.
    @Test func neovimReadsDiagnosticsACodeActionAndFormatting() throws {
        let nvim = try #require(neovim)
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("from ubuntu\nMAINTAINER me\nUSER 1000\n".utf8).write(to: folder.appendingPathComponent("Dockerfile"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/neovim/lsp.lua")
        let output = folder.appendingPathComponent("out.txt")
        try runProgram(nvim, ["--headless", "--clean", "-c", "lua _G.DK='\(dockerkitBinary)'; _G.OUT='\(output.path)'", "-c", "luafile \(script.path)", "Dockerfile"],
                       directory: folder)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.contains("diagnostic DL4000 1"))
        #expect(lines.contains("diagnostic DL3006 0"))
        #expect(lines.contains("action use LABEL maintainer (DL4000)"))
        #expect(lines.contains("action Ignore DL4000 for this instruction"))
        #expect(lines.contains("formatted FROM ubuntu|MAINTAINER me|USER 1000"))
    }
}
