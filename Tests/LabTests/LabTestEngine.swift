import Engine

/// The engine the engine tests use (`EngineLocation.prepareForTests`: found as the commands find theirs); nil when none answers.
let testEngine: String? = EngineLocation.prepareForTests()
let testEngineHasDebian = EngineLocation.hasImage("local/debian:12", client: testEngine)
/// The engine, when it also has local/debian:12 to build from; nil otherwise.
let debianTestEngine: String? = testEngineHasDebian ? testEngine : nil
let noEngineReason = EngineLocation.missingReason
let noDebianReason = EngineLocation.missingDebianReason
