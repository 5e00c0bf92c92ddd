// swift-tools-version:6.0
import PackageDescription

// Start-up settings of the modules outside the published library. They ask for type metadata through accessor
// functions rather than mangled names: at start-up every name the runtime decodes searches the binary's conformance
// records, and a one-file lint spent a fifth of its time there. They put each function in a section of its own, so
// the symbol order below can gather what a short run calls (a module's code otherwise moves as one block). The
// published library (DockerfileSyntax and its Support) takes no unsafe flags, so that packages can depend on it by
// version. The compiler keeps an object whose code is unchanged even when these flags change: after changing them,
// remove .build/release/*.build/*.o.
let startupSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors", "-Xfrontend", "-function-sections"]),
]

// The functions a short run executes and the data it touches (scripts/symbol-order.sh writes the file): release
// builds put them together at the start of their sections, so a one-file lint maps fewer pages. A path from this
// file's own, as the linker may run in another directory.
let symbolOrderFile = String(#filePath.dropLast("Package.swift".count)) + "scripts/symbol-order.txt"

let package = Package(
    name: "dockerkit",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex (LintCommand) needs macOS 15
    products: [
        .executable(name: "dockerkit", targets: ["dockerkit"]),
        .library(name: "DockerfileSyntax", targets: ["DockerfileSyntax"]),
    ],
    targets: [
        // General pieces (processes, JSON, tar, gzip, hashing, paths, text), `package` access only: not published.
        .target(name: "Support"),
        // The POSIX shell reader: commands, words, operators and quotes of RUN scripts, for lint, fmt and reverse.
        .target(name: "Shell", swiftSettings: startupSettings),
        .target(name: "DockerfileSyntax", dependencies: ["Support"]),
        // `dockerkit fmt`: the layout that never changes what BuildKit reads, and its `fmt:` settings.
        .target(name: "Formatting", dependencies: ["DockerfileSyntax", "Shell", "Support"], swiftSettings: startupSettings),
        // Facts several modules use: CUDA image tags, package mirrors, distributions, image references.
        .target(name: "Knowledge", dependencies: ["Support"], swiftSettings: startupSettings),
        .target(name: "Lint", dependencies: ["DockerfileSyntax", "Knowledge", "Shell", "Support"], swiftSettings: startupSettings),
        .target(name: "Templates", dependencies: ["DockerfileSyntax", "Formatting", "Knowledge", "Support"], swiftSettings: startupSettings),
        // The container engine's command-line client: runs it, builds with it, and says what its failures mean.
        .target(name: "Engine", dependencies: ["Support"], swiftSettings: startupSettings),
        .target(name: "ImageHistory", dependencies: ["DockerfileSyntax", "Engine", "Shell", "Support"], swiftSettings: startupSettings),
        // `dockerkit lab`: lab.yaml, stable allocation of ports and GPUs, members on the engine, Compose and Kubernetes.
        .target(name: "Lab", dependencies: ["Engine", "ImageHistory", "Knowledge", "Support", "Templates"], swiftSettings: startupSettings),
        // `dockerkit lsp`: the Language Server Protocol over a byte stream, every rule, fix and the formatter in-process.
        .target(name: "LanguageServer", dependencies: ["DockerfileSyntax", "Formatting", "Knowledge", "Lint", "Support"], swiftSettings: startupSettings),
        .executableTarget(
            name: "dockerkit",
            dependencies: ["DockerfileSyntax", "Engine", "Formatting", "Knowledge", "Lint", "Templates", "ImageHistory", "Lab", "LanguageServer", "Support"],
            swiftSettings: startupSettings,
            // Release builds are static executables: no dynamic loader relocating libstdc++ at every start (2.5M of a
            // one-file lint's 4.1M instructions), so `dockerkit lint FILE` runs in about half the time. The two
            // Foundation support libraries are named because the static link does not pull them in by itself. The
            // toolchain's lld links it: gold prints glibc's notes on static linking (getpwnam and dlopen need the
            // glibc of the build machine at run time) as six warnings on every build; dockerkit calls neither for
            // anything it needs on another machine, and lld does not print them.
            linkerSettings: [
                .unsafeFlags(["-static-executable", "-use-ld=lld", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims",
                              "-Xlinker", "--symbol-ordering-file=\(symbolOrderFile)", "-Xlinker", "--no-warn-symbol-ordering"],
                             .when(configuration: .release)),
            ]
        ),
        .executableTarget(name: "Benchmarks", dependencies: ["DockerfileSyntax", "Lint", "Support"]),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell"]),
        .testTarget(name: "SyntaxTests", dependencies: ["DockerfileSyntax"]),
        .testTarget(name: "FormattingTests", dependencies: ["Formatting", "DockerfileSyntax"]),
        .testTarget(name: "KnowledgeTests", dependencies: ["Knowledge"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "DockerfileSyntax", "Formatting", "Knowledge", "Shell", "Support"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Support"]),
        .testTarget(name: "ImageHistoryTests", dependencies: ["ImageHistory", "DockerfileSyntax", "Support"], exclude: ["Fixtures"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "DockerfileSyntax", "Formatting", "Knowledge", "Lint", "Support"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Engine", "Templates", "Support"], exclude: ["Fixtures"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["LanguageServer", "DockerfileSyntax", "Formatting", "Lint", "Support"]),
        .testTarget(name: "CLITests", dependencies: ["dockerkit", "Engine", "Support"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
