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
            dependencies: ["DockerfileSyntax", "Lint", "Templates", "ImageHistory"]
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
