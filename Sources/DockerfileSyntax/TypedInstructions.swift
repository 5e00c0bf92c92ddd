// Typed views over instructions. Each view is built from an `Instruction` of its kind and keeps source ranges.

/// Exec form (`["a", "b"]`) or shell form (`a b`) arguments.
public enum CommandForm: Sendable, Equatable {
    case exec([SyntaxToken])
    case shell(SyntaxToken)

    /// The form of an instruction's values; nil when there are none.
    init?(_ instruction: Instruction, values: ArraySlice<SyntaxToken>) {
        if instruction.isJSON {
            self = .exec(Array(values))
        } else if let first = values.first {
            self = .shell(first)
        } else {
            return nil
        }
    }
}

extension Instruction {
    /// The flag with this name (last one wins, as in BuildKit), if given.
    public func flag(_ name: String) -> InstructionFlag? {
        flags.last { $0.name == name }
    }

    /// Every flag with this name, in order.
    public func flags(named name: String) -> [InstructionFlag] {
        flags.filter { $0.name == name }
    }

    /// The source range of a byte range of `text`.
    public func sourceRange(ofTextOffsets offsets: Range<Int>, lineTable: LineTable) -> SourceRange {
        TextMap(segments: segmentList, lineTable: lineTable).range(offsets)
    }
}

/// `FROM [--platform=P] IMAGE [AS NAME]`
public struct FromInstruction: Sendable {
    public let instruction: Instruction
    public let platform: InstructionFlag?
    public let image: SyntaxToken?
    /// The stage name after `AS`.
    public let stageName: SyntaxToken?
    /// The `AS` keyword as written.
    public let asKeyword: SyntaxToken?

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .from else { return nil }
        self.instruction = instruction
        platform = instruction.flag("platform")
        image = instruction.values.first
        if instruction.values.count == 3, instruction.values[1].text.lowercased() == "as" {
            asKeyword = instruction.values[1]
            stageName = instruction.values[2]
        } else {
            asKeyword = nil
            stageName = nil
        }
    }
}

/// One `--mount=…` option of RUN, read as BuildKit's CSV of `key=value` fields.
public struct MountOption: Sendable, Equatable {
    /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`.
    public let type: String
    /// Every field as written, keys lower-cased.
    public let fields: [(key: String, value: String?)]
    public let flag: InstructionFlag

    public static func == (lhs: MountOption, rhs: MountOption) -> Bool { lhs.flag == rhs.flag }

    public init(_ flag: InstructionFlag) {
        self.flag = flag
        var fields: [(key: String, value: String?)] = []
        for field in MountOption.splitCSV(flag.value ?? "") where !field.isEmpty {
            if let equals = field.firstIndex(of: "=") {
                fields.append((field[..<equals].lowercased(), String(field[field.index(after: equals)...])))
            } else {
                fields.append((field.lowercased(), nil))
            }
        }
        self.fields = fields
        type = fields.last { $0.key == "type" }?.value?.lowercased() ?? "bind"
    }

    /// The value of the last field with one of these keys.
    public func value(_ keys: String...) -> String? {
        fields.last { keys.contains($0.key) }.flatMap { $0.value }
    }

    /// Whether a field with this key is present.
    public func has(_ key: String) -> Bool { fields.contains { $0.key == key } }

    public var target: String? { value("target", "dst", "destination") }
    public var source: String? { value("source", "src") }
    public var from: String? { value("from") }
    public var id: String? { value("id") }

    /// Splits a CSV record (double quotes group, `""` is a quote).
    static func splitCSV(_ text: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if inQuotes {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters = characters.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// `RUN [--mount=…] [--network=…] [--security=…] COMMAND`
public struct RunInstruction: Sendable {
    public let instruction: Instruction
    public let mounts: [MountOption]
    public let network: String?
    public let security: String?
    public let command: CommandForm?
    public var heredocs: [HeredocBody] { instruction.heredocs }

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .run else { return nil }
        self.instruction = instruction
        mounts = instruction.flags(named: "mount").map(MountOption.init)
        network = instruction.flag("network")?.value
        security = instruction.flag("security")?.value
        command = CommandForm(instruction, values: instruction.values[...])
    }
}

/// CMD, ENTRYPOINT and SHELL: a command in exec or shell form.
public struct CommandInstruction: Sendable {
    public let instruction: Instruction
    public let command: CommandForm?

    public init?(_ instruction: Instruction) {
        guard [.cmd, .entrypoint, .shell].contains(instruction.kind) else { return nil }
        self.instruction = instruction
        command = CommandForm(instruction, values: instruction.values[...])
    }
}

/// A `key=value` (or legacy `key value`) pair of ENV or LABEL.
public struct KeyValuePair: Sendable, Equatable {
    public let key: SyntaxToken
    /// The value as written, quotes and escapes included.
    public let value: SyntaxToken
    /// Written in the legacy `KEY value` form.
    public let isLegacyForm: Bool

    /// The value with quotes and escapes removed (no variables expanded).
    public func unquotedValue(escapeToken: UInt8) -> String {
        Self.unquoted(value.text, escapeToken: escapeToken)
    }

    /// The key with quotes and escapes removed (`"a b"=v` names `a b`, as BuildKit reads it).
    public func unquotedKey(escapeToken: UInt8) -> String {
        Self.unquoted(key.text, escapeToken: escapeToken)
    }

    private static func unquoted(_ text: String, escapeToken: UInt8) -> String {
        var expander = ShellWordExpander(escapeToken: Unicode.Scalar(escapeToken))
        expander.leavesUnsetVariables = true
        return (try? expander.expand(text, environment: [:]).value) ?? text
    }
}

/// ENV and LABEL.
public struct KeyValueInstruction: Sendable {
    public let instruction: Instruction
    public let pairs: [KeyValuePair]

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .env || instruction.kind == .label else { return nil }
        self.instruction = instruction
        // The arrays are read once: each read of an instruction's property retains its storage again.
        let values = instruction.values
        let separators = instruction.keyValueSeparators
        var pairs: [KeyValuePair] = []
        pairs.reserveCapacity(min(separators.count, values.count / 2))
        for index in separators.indices where index * 2 + 1 < values.count {
            pairs.append(KeyValuePair(key: values[index * 2], value: values[index * 2 + 1], isLegacyForm: separators[index].isEmpty))
        }
        self.pairs = pairs
    }
}

/// One name of an ARG instruction, with its default if given.
public struct ArgumentDefinition: Sendable, Equatable {
    public let name: String
    /// The default as written (quotes kept), if given.
    public let defaultValue: String?
    public let token: SyntaxToken
}

/// `ARG NAME[=default] …`
public struct ArgInstruction: Sendable {
    public let instruction: Instruction
    public let definitions: [ArgumentDefinition]

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .arg else { return nil }
        self.instruction = instruction
        definitions = instruction.values.map { token in
            // A token's text is made from the source on each read: read it once.
            let text = token.text
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                return ArgumentDefinition(name: String(text[..<equals]), defaultValue: String(text[text.index(after: equals)...]), token: token)
            }
            return ArgumentDefinition(name: text, defaultValue: nil, token: token)
        }
    }
}

/// One EXPOSE entry: `80`, `80/tcp`, `8000-8010/udp`.
public struct ExposedPort: Sendable, Equatable {
    public let token: SyntaxToken
    /// The first port, when the entry is numeric.
    public let start: Int?
    /// The last port of a range (equal to `start` for one port).
    public let end: Int?
    /// The protocol after `/`, as written.
    public let `protocol`: String?

    init(_ token: SyntaxToken) {
        self.token = token
        let parts = token.text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        `protocol` = parts.count == 2 ? String(parts[1]) : nil
        let bounds = parts[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        start = Int(bounds[0])
        end = bounds.count == 2 ? Int(bounds[1]) : start
    }
}

/// `EXPOSE PORT[/PROTOCOL] …`
public struct ExposeInstruction: Sendable {
    public let instruction: Instruction
    public let ports: [ExposedPort]

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .expose else { return nil }
        self.instruction = instruction
        ports = instruction.values.map(ExposedPort.init)
    }
}

/// ADD and COPY with all their flags.
public struct CopyInstruction: Sendable {
    public let instruction: Instruction
    public var from: String? { instruction.flag("from")?.value }
    public var chown: String? { instruction.flag("chown")?.value }
    public var chmod: String? { instruction.flag("chmod")?.value }
    public var link: Bool { instruction.flag("link").map { $0.value != "false" } ?? false }
    public var parents: Bool { instruction.flag("parents").map { $0.value != "false" } ?? false }
    public var excludes: [String] { instruction.flags(named: "exclude").compactMap(\.value) }
    public var checksum: String? { instruction.flag("checksum")?.value }
    public var keepGitDir: Bool { instruction.flag("keep-git-dir").map { $0.value != "false" } ?? false }
    /// Sources: every value but the last.
    public let sources: [SyntaxToken]
    public let destination: SyntaxToken?
    /// Sources that name a heredoc of this instruction (`<<EOF`).
    public var heredocSources: [HeredocBody] { instruction.heredocs }

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .copy || instruction.kind == .add else { return nil }
        self.instruction = instruction
        sources = Array(instruction.values.dropLast())
        destination = instruction.values.last
    }
}

/// VOLUME, USER, WORKDIR, STOPSIGNAL and MAINTAINER: plain values.
public struct ValueInstruction: Sendable {
    public let instruction: Instruction
    public let values: [SyntaxToken]

    public init?(_ instruction: Instruction) {
        guard [.volume, .user, .workdir, .stopsignal, .maintainer].contains(instruction.kind) else { return nil }
        self.instruction = instruction
        values = instruction.values
    }

    /// For USER: the user and group parts of `user[:group]`.
    public var userAndGroup: (user: String, group: String?)? {
        guard instruction.kind == .user, let text = values.first?.text else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count == 2 ? String(parts[1]) : nil)
    }
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [OPTIONS] CMD command`.
public struct HealthcheckInstruction: Sendable {
    public let instruction: Instruction
    /// `HEALTHCHECK NONE`.
    public let isNone: Bool
    public let command: CommandForm?
    public var interval: String? { instruction.flag("interval")?.value }
    public var timeout: String? { instruction.flag("timeout")?.value }
    public var startPeriod: String? { instruction.flag("start-period")?.value }
    public var startInterval: String? { instruction.flag("start-interval")?.value }
    public var retries: String? { instruction.flag("retries")?.value }

    public init?(_ instruction: Instruction) {
        guard instruction.kind == .healthcheck else { return nil }
        self.instruction = instruction
        let type = instruction.values.first?.text.uppercased()
        isNone = type == "NONE"
        command = type == "CMD" ? CommandForm(instruction, values: instruction.values.dropFirst()) : nil
    }
}
