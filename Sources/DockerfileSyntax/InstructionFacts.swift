/// What each instruction takes, as BuildKit's current frontend declares it: its flags (with their kinds) and a
/// one-line syntax summary. Validation checks flags against it; the editor completes and explains from it.
public struct InstructionFacts: Sendable {
    /// How BuildKit reads a flag's value.
    public enum FlagKind: Sendable { case string, boolean, list }

    /// One flag an instruction declares.
    public struct Flag: Sendable {
        public let name: String
        public let kind: FlagKind
        /// Whether editors offer it (labs-only flags are accepted but not suggested).
        public let isOffered: Bool

        init(_ name: String, _ kind: FlagKind, offered: Bool = true) {
            self.name = name
            self.kind = kind
            self.isOffered = offered
        }

        /// The text an editor inserts: `--link`, or `--from=` for a flag that takes a value.
        public var completion: String { kind == .boolean ? "--\(name)" : "--\(name)=" }
    }

    public let flags: [Flag]
    public let syntax: String

    /// The facts of `kind`; nil for an unknown instruction.
    public static func of(_ kind: InstructionKind) -> InstructionFacts? { table[kind] }

    private static let table: [InstructionKind: InstructionFacts] = [
        .from: InstructionFacts(flags: [Flag("platform", .string)], syntax: "FROM [--platform=PLATFORM] IMAGE[:TAG|@DIGEST] [AS NAME] — starts a build stage."),
        .run: InstructionFacts(flags: [Flag("mount", .list), Flag("network", .string), Flag("security", .string), Flag("device", .list, offered: false)],
                               syntax: "RUN [--mount=…] [--network=…] COMMAND | RUN [\"executable\", \"arg\"] — runs a command in a new layer."),
        .cmd: InstructionFacts(flags: [], syntax: "CMD [\"executable\", \"arg\"] — the default command of the container."),
        .entrypoint: InstructionFacts(flags: [], syntax: "ENTRYPOINT [\"executable\", \"arg\"] — the program the container runs."),
        .copy: InstructionFacts(flags: [Flag("from", .string), Flag("chown", .string), Flag("chmod", .string), Flag("link", .boolean), Flag("parents", .boolean),
                                        Flag("exclude", .list)],
                                syntax: "COPY [--from=STAGE] [--chown=U:G] [--chmod=MODE] [--link] SRC… DEST"),
        .add: InstructionFacts(flags: [Flag("checksum", .string), Flag("chown", .string), Flag("chmod", .string), Flag("link", .boolean), Flag("keep-git-dir", .boolean),
                                       Flag("unpack", .boolean), Flag("exclude", .list)],
                               syntax: "ADD [--checksum=sha256:…] [--chown=U:G] SRC… DEST — like COPY, plus URLs, git and archive unpacking."),
        .env: InstructionFacts(flags: [], syntax: "ENV KEY=VALUE … — environment for later instructions and containers."),
        .arg: InstructionFacts(flags: [], syntax: "ARG NAME[=DEFAULT] — a build argument (not kept in the container)."),
        .label: InstructionFacts(flags: [], syntax: "LABEL KEY=VALUE … — image metadata."),
        .workdir: InstructionFacts(flags: [], syntax: "WORKDIR PATH — the working directory for later instructions."),
        .user: InstructionFacts(flags: [], syntax: "USER NAME|UID[:GROUP] — the user later instructions and the container run as."),
        .expose: InstructionFacts(flags: [], syntax: "EXPOSE PORT[/PROTOCOL] … — documents the ports the container listens on."),
        .volume: InstructionFacts(flags: [], syntax: "VOLUME PATH … — a mount point for external storage."),
        .healthcheck: InstructionFacts(flags: [Flag("interval", .string), Flag("timeout", .string), Flag("start-period", .string), Flag("start-interval", .string),
                                               Flag("retries", .string)],
                                       syntax: "HEALTHCHECK [--interval=D --timeout=D --start-period=D --retries=N] CMD … | HEALTHCHECK NONE"),
        .shell: InstructionFacts(flags: [], syntax: "SHELL [\"executable\", \"arg\"] — the shell that shell-form instructions run under."),
        .stopsignal: InstructionFacts(flags: [], syntax: "STOPSIGNAL SIGNAL — the signal that stops the container."),
        .onbuild: InstructionFacts(flags: [], syntax: "ONBUILD INSTRUCTION — runs INSTRUCTION when the image is used as a base."),
        .maintainer: InstructionFacts(flags: [], syntax: "MAINTAINER NAME — deprecated; use LABEL org.opencontainers.image.authors=…"),
    ]
}
