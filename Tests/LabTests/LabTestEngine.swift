import Engine

/// The engine the engine tests use (`EngineLocation.prepareForTests`: found as the commands find theirs); nil when none answers.
let testEngine: String? = EngineLocation.prepareForTests()
let testEngineHasDebian = EngineLocation.hasImage("local/debian:12", client: testEngine)
let noEngineReason = EngineLocation.missingReason
let noDebianReason = EngineLocation.missingDebianReason
