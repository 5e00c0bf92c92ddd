import Support
import Testing
@testable import Engine

private func response(_ text: String) throws(InputError) -> (status: Int, body: String) {
    let (status, body) = try HTTPResponse.parse(Array(text.utf8), source: "test", limit: 1 << 20)
    return (status, String(decoding: body, as: UTF8.self))
}

@Test func aChunkedBodyIsPutBackTogether() throws {
    let parsed = try response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[{\"a\r\n6;ext=1\r\n\":\"\tb\"\r\n2\r\n}]\r\n0\r\n\r\n")
    #expect(parsed.status == 200)
    #expect(parsed.body == "[{\"a\":\"\tb\"}]")
}

@Test func aContentLengthBodyStopsAtItsLength() throws {
    #expect(try response("HTTP/1.0 404 Not Found\r\nContent-Length: 5\r\n\r\nhelloEXTRA").body == "hello")
}

@Test func aChunkLongerThanTheAnswerIsAnErrorNotACrash() {
    #expect(throws: InputError.self) { try response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nab\r\n") }
    #expect(throws: InputError.self) { try response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n") }
}

@Test func anAnswerWithoutHeadersEndIsAnError() {
    #expect(throws: InputError.self) { try response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n") }
    #expect(throws: InputError.self) { try response("SSH-2.0-OpenSSH\r\n\r\n") }
}

@Test func aBodyOverTheLimitIsRefused() {
    let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
    #expect(throws: InputError.self) { try HTTPResponse.parse(Array(text.utf8), source: "test", limit: 8) }
}

@Test func imageNamesAreEscapedForTheRequestLine() {
    #expect(EngineAPI.escaped("local/debian:12") == "local/debian:12")
    #expect(EngineAPI.escaped("a b?#%\r\n") == "a%20b%3F%23%25%0D%0A")
}

@Test func theSocketComesFromDockerHostOrIsNotUsed() {
    #expect(EngineAPI.reachable(environment: ["DOCKER_HOST": "unix:///tmp/x.sock"])?.socketPath == "/tmp/x.sock")
    #expect(EngineAPI.reachable(environment: ["DOCKER_HOST": "tcp://10.0.0.1:2375"]) == nil)
    #expect(EngineAPI.reachable(environment: ["DOCKER_HOST": "ssh://admin@host"]) == nil)
}

@Test func aMissingSocketSaysNoEngineAnswers() {
    do {
        _ = try EngineAPI(socketPath: "/nonexistent/docker.sock").get("/_ping")
        Issue.record("a missing socket answered")
    } catch {
        #expect(error.message.hasPrefix("no engine answers on this socket"))
    }
}

@Test func anExplicitClientTurnsTheAPIOff() {
    #expect(EngineClient(engine: "/usr/bin/docker", environment: ["DOCKER_HOST": "unix:///tmp/x.sock"]).api == nil)
    #expect(EngineClient(engine: nil, environment: ["DOCKER_HOST": "unix:///tmp/x.sock"]).api?.socketPath == "/tmp/x.sock")
}
