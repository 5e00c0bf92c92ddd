/// The release version. `scripts/release.sh` writes the commit into a copy of this file in the tree it builds, so
/// `dockerkit --version` of a release names its commit.
let dockerkitVersion = "0.2.0"
let dockerkitCommit: String? = nil

/// `dockerkit 0.2.0 (abc1234)`, or without the commit for a build from a working tree.
let dockerkitVersionLine = "dockerkit \(dockerkitVersion)" + (dockerkitCommit.map { " (\($0))" } ?? "")
