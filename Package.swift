// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dockerkit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dockerkit", targets: ["dockerkit"]),
        .library(name: "DockerfileSyntax", targets: ["DockerfileSyntax"]),
    ],
    targets: [
        .target(name: "DockerfileSyntax"),
        .target(name: "Lint", dependencies: ["DockerfileSyntax", "Templates"]),
        .target(name: "Templates", dependencies: ["DockerfileSyntax"]),
        .target(name: "ImageHistory", dependencies: ["DockerfileSyntax"]),
        .executableTarget(
            name: "dockerkit",
            dependencies: ["DockerfileSyntax", "Lint", "Templates", "ImageHistory"],
            // Release builds are static executables: no dynamic loader relocating libstdc++ at every start (2.5M of a
            // one-file lint's 4.1M instructions), so `dockerkit lint FILE` runs in about half the time. The two
            // Foundation support libraries are named because the static link does not pull them in by itself.
            linkerSettings: [
                .unsafeFlags(["-static-executable", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims"],
                             .when(configuration: .release)),
            ]
        ),
        .executableTarget(name: "Benchmarks", dependencies: ["DockerfileSyntax", "Lint"]),
        .testTarget(name: "SyntaxTests", dependencies: ["DockerfileSyntax"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "DockerfileSyntax", "ImageHistory"]),
        .testTarget(name: "ImageHistoryTests", dependencies: ["ImageHistory", "DockerfileSyntax"], exclude: ["Fixtures"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "DockerfileSyntax"]),
        .testTarget(name: "CLITests", dependencies: ["dockerkit"]),
    ],
    swiftLanguageModes: [.v6]
)
