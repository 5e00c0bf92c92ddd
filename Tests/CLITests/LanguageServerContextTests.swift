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

/// A live `dockerkit lsp` fed message by message, as an editor does.
private final class LiveServer {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var pending: [UInt8] = []

    init() throws {
        process.executableURL = URL(fileURLWithPath: dockerkitBinary)
        process.arguments = ["lsp"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A server that stops answering must not hang the test run.
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { [process] in if process.isRunning { process.terminate() } }
    }

    func send(_ json: String) {
        input.fileHandleForWriting.write(Data(framed(json).utf8))
    }

    /// The next message, or nil when the server ended.
    func receive() -> [String: Any]? {
        while true {
            if let headerEnd = pending.firstRange(of: Array("\r\n\r\n".utf8)) {
                let header = String(decoding: pending[..<headerEnd.lowerBound], as: UTF8.self)
                let length = Int(header.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
                if pending.count >= headerEnd.upperBound + length {
                    let body = Data(pending[headerEnd.upperBound..<(headerEnd.upperBound + length)])
                    pending.removeFirst(headerEnd.upperBound + length)
                    return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                }
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending += chunk
        }
    }
}

/// While a long lint runs, requests are answered; an edit cancels that lint, and only the new text's diagnostics
/// are published.
@Test func requestsAreAnsweredDuringALongLintAndAnEditCancelsIt() throws {
    let server = try LiveServer()
    defer { server.process.terminate() }
    let uri = "file:///tmp/dockerkit-live/Dockerfile"
    server.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}")
    _ = server.receive()
    let big = "FROM ubuntu:22.04\n" + (0..<30_000).map { "RUN apt-get install -y pkg\($0) && echo $V\($0)\n" }.joined()
    server.send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"\(uri)\",\"languageId\":\"dockerfile\",\"version\":1,\"text\":\(jsonQuoted(big))}}}")
    Thread.sleep(forTimeInterval: 0.3)
    server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/completion\",\"params\":{\"textDocument\":{\"uri\":\"\(uri)\"},\"position\":{\"line\":1,\"character\":0}}}")
    var beforeReply: [String] = []
    while let message = server.receive() {
        if (message["id"] as? Int) == 2 { break }
        beforeReply.append(message["method"] as? String ?? "?")
    }
    #expect(!beforeReply.contains("textDocument/publishDiagnostics"), "the completion waited for the lint: \(beforeReply)")
    server.send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"\(uri)\",\"version\":2},\"contentChanges\":[{\"text\":\"FROM debian:12\\n\"}]}}")
    let diagnostics = server.receive()
    let params = diagnostics?["params"] as? [String: Any]
    #expect(diagnostics?["method"] as? String == "textDocument/publishDiagnostics")
    #expect(params?["version"] as? Int == 2, "diagnostics of the text the edit replaced were published: \(params?["version"] ?? "none")")
    server.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}")
    server.send("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}")
}

private func jsonQuoted(_ text: String) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8), as: UTF8.self).dropFirst().dropLast().description
}
