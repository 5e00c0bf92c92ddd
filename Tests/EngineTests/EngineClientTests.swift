import Support
import Testing
@testable import Engine

@Test func missingEngineClientSaysWhatToDo() {
    #expect(throws: InputError.self) { try EngineClient(engine: "/nonexistent/docker").run(["version"]) }
}

@Test func engineErrorsAreExplained() {
    #expect(EngineClient.explain("Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock", executable: "docker", image: nil)
        .message.hasPrefix("permission denied on the engine socket"))
    #expect(EngineClient.explain("Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?", executable: "docker", image: nil)
        .message.hasPrefix("the engine is not reachable"))
    #expect(EngineClient.explain("Error: No such image: nope:1", executable: "docker", image: "nope:1").message == "image nope:1 not found in the engine's local images")
}
