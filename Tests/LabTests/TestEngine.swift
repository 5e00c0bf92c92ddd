import Engine
import Support

/// The engine client the engine tests use, found as the commands find theirs: DOCKER_HOST, else the default socket,
/// else scripts/engine.sh's private engine (DOCKER_HOST is then set for every child); nil when none answers.
let testEngine: String? = EngineLocation.prepareForTests()

/// Whether the engine has local/debian:12 (`scripts/engine.sh debian-base` makes it; .ci/run does).
let testEngineHasDebian: Bool = testEngine.map { (try? ChildProcess.run($0, arguments: ["image", "inspect", "local/debian:12"]).status) == 0 } ?? false

/// Why an engine test is skipped.
let noEngineReason = EngineLocation.missingReason
let noDebianReason = "the engine has no local/debian:12: bash scripts/engine.sh debian-base makes it (.ci/run does)"
