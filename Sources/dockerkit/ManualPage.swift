/// What `dockerkit man` says of each command beyond its usage: examples, the files it reads or writes, the
/// environment it reads, and its exit statuses.
struct ManualSection {
    let examples: [(command: String, what: String)]
    let files: [(path: String, what: String)]
    let environment: [(name: String, what: String)]
    let exitStatus: [(code: String, meaning: String)]

    private static let engineEnvironment: [(name: String, what: String)] = [
        ("DOCKER_HOST", "the engine's socket (unix://…); else /var/run/docker.sock"),
        ("DOCKERKIT_ENGINE", "the engine client to run, as --engine; else the first docker on PATH that builds with BuildKit"),
        ("PATH", "where docker (or podman) is looked for"),
    ]
    private static let lintConfiguration: [(path: String, what: String)] = [
        (".dockerkit.yaml, .hadolint.yaml", "configuration, looked for in the file's folder and its parents (hadolint's keys and dockerkit's)"),
        ("$XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml", "the global configuration when a project has none"),
    ]
    private static let plain: [(code: String, meaning: String)] = [("0", "done"), ("2", "usage error")]

    /// By command; every command of the binary has one.
    static let byCommand: [String: ManualSection] = [
        "lint": ManualSection(
            examples: [("dockerkit lint Dockerfile", "findings in the terminal"),
                       ("dockerkit lint --format sarif --output lint.sarif .", "every Dockerfile under the folder, as SARIF for code scanning"),
                       ("dockerkit lint --fix --diff Dockerfile", "the safe fixes as a diff; --fix alone writes them"),
                       ("dockerkit lint < Dockerfile", "a Dockerfile from standard input")],
            files: lintConfiguration + [("Dockerfile", "linted when no file is given and nothing waits on standard input")],
            environment: [("HADOLINT_FORMAT, HADOLINT_FAILURE_THRESHOLD, HADOLINT_IGNORE, …", "hadolint's settings, read as hadolint reads them"),
                          ("NO_COLOR, HADOLINT_NOCOLOR", "no colour in tty output")],
            exitStatus: [("0", "nothing at or above the failure threshold"), ("1", "findings at or above it"),
                         ("2", "usage, configuration or input errors (a file that cannot be read or is over --max-input-size)")]),
        "rules": ManualSection(
            examples: [("dockerkit rules", "every rule: code, severity, name"), ("dockerkit rules DK307 --format json", "one rule as JSON")],
            files: [], environment: [], exitStatus: plain),
        "explain": ManualSection(
            examples: [("dockerkit explain DL3008", "a rule's rationale and examples")], files: [], environment: [],
            exitStatus: [("0", "explained"), ("2", "no such rule")]),
        "fmt": ManualSection(
            examples: [("dockerkit fmt --check .", "lists the files that would change"), ("dockerkit fmt --write Dockerfile", "rewrites it in place")],
            files: lintConfiguration,
            environment: [],
            exitStatus: [("0", "formatted (or nothing to change)"), ("1", "--check or --diff found a file to change"),
                         ("2", "a file that does not parse, cannot be read or written")]),
        "new": ManualSection(
            examples: [("dockerkit new --cuda 12.4 --ssh --mirror tuna --user lab -o lab/", "a lab image's Dockerfile and its companion files"),
                       ("dockerkit new --torch 2.5 --requirements requirements.txt -o lab/", "the CUDA tag PyTorch 2.5's wheels fit, and the project's packages"),
                       ("dockerkit new --list --torch", "which CUDA each PyTorch release is built for")],
            files: [("DIR/Dockerfile, .dockerignore, lab-entrypoint.sh, run.sh, README.md", "written with -o DIR, never over a file without --force"),
                    ("templates/*.tmpl", "with --templates DIR, rendered instead of the built-in copy")],
            environment: [],
            exitStatus: [("0", "generated"), ("2", "a request that cannot be met (the error lists what exists) or a file that cannot be written")]),
        "reverse": ManualSection(
            examples: [("dockerkit reverse lab-base:v3 > Dockerfile", "from the engine's image history and config"),
                       ("dockerkit reverse lab-base:v3 --context ctx --build", "with a build context from the layers, rebuilt and compared"),
                       ("dockerkit reverse --container alice-lab --context ctx", "what was installed in a running container")],
            files: [("DIR (--context)", "the recovered Dockerfile and the files its COPY/ADD name, never outside DIR")],
            environment: engineEnvironment,
            exitStatus: [("0", "recovered (with --build: rebuilt and equivalent)"), ("1", "rebuilt but not equivalent"),
                         ("2", "usage or input errors (an image or container the engine does not have)"), ("3", "the engine failed")]),
        "build": ManualSection(
            examples: [("dockerkit build -t lab:1 .", "lint (errors stop it), then the engine's build"),
                       ("dockerkit build --engine podman -t lab:1 .", "with another client")],
            files: lintConfiguration + [("CONTEXT/Dockerfile", "built unless -f names another")],
            environment: engineEnvironment + [("DOCKER_BUILDKIT", "set to 1 for BuildKit, 0 for the classic builder")],
            exitStatus: [("0", "built"), ("1", "lint errors stopped the build"), ("2", "usage errors"), ("3", "the engine failed or does not answer")]),
        "lab": ManualSection(
            examples: [("dockerkit lab plan", "who gets which ports, GPUs and uid; changes nothing"),
                       ("dockerkit lab up", "builds the image if needed and starts every member"),
                       ("dockerkit lab invite alice --lang zh", "what alice needs to log in"),
                       ("dockerkit lab export --format compose -o out/", "the lab as a Compose project")],
            files: [("lab.yaml", "the lab (-f FILE names another)"), ("lab.state.json", "uids and ports given out, kept across removals"),
                    ("lab.log", "the audit log, JSON Lines"), ("secrets/", "VNC passwords, Jupyter tokens, SSH host keys (mode 0700)"),
                    ("homes/MEMBER", "each member's home, never deleted")],
            environment: engineEnvironment + [("SUDO_USER, USER", "the admin named in the audit log")],
            exitStatus: [("0", "done"), ("1", "a member did not start or answer SSH (up), is not running (status), or was not removed (down)"),
                         ("2", "lab.yaml or the state file is invalid, or a usage error"), ("3", "the engine failed")]),
        "parse": ManualSection(
            examples: [("dockerkit parse --format commands Dockerfile", "BuildKit's view of each instruction"),
                       ("dockerkit parse --format source Dockerfile", "the source printed back from the tree, byte for byte")],
            files: [], environment: [],
            exitStatus: [("0", "parsed"), ("1", "syntax errors"), ("2", "usage or input errors")]),
        "lsp": ManualSection(
            examples: [("dockerkit lsp", "the language server on standard input and output, for an editor to start")],
            files: lintConfiguration, environment: [],
            exitStatus: [("0", "exit after shutdown"), ("1", "exit without shutdown")]),
        "version": ManualSection(examples: [("dockerkit version", "the version")], files: [], environment: [], exitStatus: plain),
        "help": ManualSection(examples: [("dockerkit help lab", "a command's options")], files: [], environment: [], exitStatus: plain),
        "completions": ManualSection(
            examples: [("dockerkit completions bash > /etc/bash_completion.d/dockerkit", "bash completion")],
            files: [], environment: [], exitStatus: plain),
        "man": ManualSection(
            examples: [("dockerkit man > /usr/local/share/man/man1/dockerkit.1", "this page")], files: [], environment: [], exitStatus: plain),
    ]

    /// The four subsections in roff, each item escaped with `roff`.
    func roff(_ escape: (String) -> String) -> String {
        func list(_ title: String, _ items: [(String, String)]) -> String {
            var text = ".SS \(title)\n"
            if items.isEmpty { return text + "None.\n" }
            for (term, description) in items { text += ".TP\n.B \(escape(term))\n\(escape(description))\n" }
            return text
        }
        return list("EXAMPLES", examples.map { ($0.command, $0.what) }) + list("FILES", files.map { ($0.path, $0.what) })
            + list("ENVIRONMENT", environment.map { ($0.name, $0.what) }) + list("EXIT STATUS", exitStatus.map { ($0.code, $0.meaning) })
    }
}
