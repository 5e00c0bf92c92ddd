import Foundation
import Testing

private func framed(_ json: String) -> String { "Content-Length: \(json.utf8.count)\r\n\r\n\(json)" }

/// The editor lints a Dockerfile with its build context, as the command line does: a COPY of a file the
/// `.dockerignore` leaves out is reported (CopyIgnoredFile).
@Test func theEditorReadsTheBuildContextsDockerignore() throws {
    let folder = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("secrets.txt\n".utf8).write(to: folder.appendingPathComponent(".dockerignore"))
    let text = "FROM debian:12\nCOPY secrets.txt /srv/\n"
    let dockerfile = folder.appendingPathComponent("Dockerfile")
    try Data(text.utf8).write(to: dockerfile)
    let uri = "file://" + dockerfile.path
    let open = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"\(uri)\",\"languageId\":\"dockerfile\",\"version\":1,\"text\":\"FROM debian:12\\nCOPY secrets.txt /srv/\\n\"}}}"
    let input = [
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}", open,
    ].map(framed).joined()
    // Diagnostics are published once the messages read are handled; the end of input then ends the server.
    let result = try runProgram(dockerkitBinary, ["lsp"], directory: folder, input: input)
    #expect(result.output.contains("\"code\":\"CopyIgnoredFile\""), "\(result.output.suffix(800))")
}
