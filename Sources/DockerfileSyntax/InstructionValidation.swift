import Support

/// What BuildKit's Dockerfile frontend rejects after its parser has accepted the file: the checks its `instructions`
/// package makes of each instruction (argument counts, flags, durations, ONBUILD triggers, SHELL's form), with its
/// wording, at the instruction's first line.
extension DockerfileSyntaxTree {
    /// One error for each instruction BuildKit's frontend would refuse. BuildKit stops at the first of them; every
    /// one is reported here, so a file can be fixed in one pass.
    /// An instruction the parser already refused is not checked again.
    public func instructionErrors() -> [SyntaxError] {
        let refusedLines = errors.map(\.range.start.line)
        var found: [SyntaxError] = []
        for item in items {
            guard case .instruction(let instruction) = item, let error = Self.refusal(of: instruction, refusedLines: refusedLines) else { continue }
            found.append(error)
        }
        return found
    }

    /// ``instructionErrors()`` for the instructions at `indices` of `instructions` (the tree's), each with its index.
    public func instructionErrors(of instructions: [Instruction], at indices: Range<Int>) -> [(index: Int, error: SyntaxError)] {
        let refusedLines = errors.map(\.range.start.line)
        return indices.compactMap { index in Self.refusal(of: instructions[index], refusedLines: refusedLines).map { (index, $0) } }
    }

    private static func refusal(of instruction: Instruction, refusedLines: [Int]) -> SyntaxError? {
        if !refusedLines.isEmpty && refusedLines.contains(where: { $0 >= instruction.startLine && $0 <= instruction.endLine }) { return nil }
        return InstructionValidation.problem(in: instruction).map { SyntaxError(message: $0, range: instruction.keyword.range) }
    }
}

enum InstructionValidation {
    /// BuildKit's message for what is wrong with `instruction`, or nil when its frontend accepts it.
    static func problem(in instruction: Instruction) -> String? {
        // Most instructions need only the number of their arguments; their texts are read where needed. RUN, CMD and
        // ENTRYPOINT, most of a file, need neither: their values (an array made when asked for) are not read. A branch
        // that reads them more than once binds them once.
        var values: [SyntaxToken] { instruction.values }
        var arguments: [String] { values.map(\.text) }
        var name: String { instruction.name }
        var flags = FlagParser(instruction.flags)
        switch instruction.kind {
        case .unknown:
            let keyword = instruction.keyword.text
            return withSuggestion("unknown instruction: \(keyword)", for: keyword, among: InstructionKind.allCases.filter { $0 != .unknown }.map { $0.rawValue.uppercased() },
                                  caseSensitive: false)
        case .env, .label:
            if let problem = flags.parse() { return problem }
            let values = values
            guard !values.isEmpty else { return "\(name) requires at least one argument" }
            if stride(from: 0, to: values.count, by: 2).contains(where: { values[$0].text.isEmpty }) {
                return "\(name) names can not be blank"
            }
            return nil
        case .maintainer, .workdir, .user:
            guard values.count == 1 else { return "\(name) requires exactly one argument" }
            return flags.parse()
        case .stopsignal:
            return values.count == 1 ? nil : "STOPSIGNAL requires exactly one argument"
        case .add, .copy:
            guard values.count >= 2 else {
                return "\(name) requires at least two arguments, but only one was provided. Destination could not be determined"
            }
            flags.declare(instruction.kind)
            return flags.parse()
        case .from:
            let arguments = arguments
            if arguments.count == 3 && arguments[1].lowercased() == "as" {
                guard isStageName(arguments[2].lowercased()) else {
                    return "invalid name for build stage: \(Quoting.go(arguments[2])), name can't start with a number or contain symbols"
                }
            } else if arguments.count != 1 {
                return "FROM requires either one or three arguments"
            }
            flags.declare(.from)
            return flags.parse()
        case .onbuild:
            guard let trigger = instruction.trigger else { return "ONBUILD requires at least one argument" }
            if let problem = flags.parse() { return problem }
            let keyword = trigger.keyword.text.uppercased()
            if keyword == "ONBUILD" { return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" }
            if keyword == "MAINTAINER" || keyword == "FROM" { return "\(keyword) isn't allowed as an ONBUILD trigger" }
            return nil
        case .run:
            // Most RUNs have no flags: nothing to declare, parse or look up.
            guard !instruction.flags.isEmpty else { return nil }
            flags.declare(.run)
            if let problem = flags.parse() { return problem }
            // Switches, not array literals: every RUN of a file is checked, and a literal would be built each time.
            if let network = flags.value("network") {
                switch network {
                case "default", "none", "host": break
                default: return "invalid network mode \(Quoting.go(network))"
                }
            }
            if let security = flags.value("security") {
                switch security {
                case "sandbox", "insecure": break
                default: return "security \(Quoting.go(security)) is not valid"
                }
            }
            return nil
        case .cmd, .entrypoint:
            return flags.parse()
        case .healthcheck:
            return healthcheckProblem(instruction, arguments: arguments, flags: &flags)
        case .expose, .volume:
            let values = values
            guard !values.isEmpty else { return "\(name) requires at least one argument" }
            if let problem = flags.parse() { return problem }
            if instruction.kind == .volume && values.contains(where: { $0.text.trimmingGoSpace().isEmpty }) {
                return "VOLUME specified can not be an empty string"
            }
            return nil
        case .arg:
            let values = values
            guard !values.isEmpty else { return "ARG requires at least one argument" }
            if values.contains(where: { $0.text.hasPrefix("=") }) { return "ARG names can not be blank" }
            return nil
        case .shell:
            if let problem = flags.parse() { return problem }
            if values.isEmpty { return "SHELL requires at least one argument" }
            return instruction.isJSON ? nil : "SHELL requires the arguments to be in JSON form"
        }
    }

    private static func healthcheckProblem(_ instruction: Instruction, arguments: [String], flags: inout FlagParser) -> String? {
        guard let first = arguments.first else { return "HEALTHCHECK requires at least one argument" }
        let type = first.uppercased()
        if type == "NONE" {
            // BuildKit reads no flags for NONE, so none are refused.
            return arguments.count == 1 ? nil : "HEALTHCHECK NONE takes no arguments"
        }
        flags.declare(.healthcheck)
        if let problem = flags.parse() { return problem }
        guard type == "CMD" else { return "Unknown type \(Quoting.go(type)) in HEALTHCHECK (try CMD)" }
        if arguments.count == 1 { return "Missing command after HEALTHCHECK CMD" }
        for name in ["interval", "timeout", "start-period", "start-interval"] {
            guard let value = flags.value(name), !value.isEmpty else { continue }
            switch GoDuration.parse(value) {
            case .failure(let message): return message
            case .success(let nanoseconds):
                if nanoseconds != 0 && nanoseconds < 1_000_000 { return "Interval \(Quoting.go(name)) cannot be less than 1ms" }
            }
        }
        if let retries = flags.value("retries"), !retries.isEmpty {
            guard let number = goParseInt32(retries) else {
                let digits = retries.drop { $0 == "+" || $0 == "-" }
                let syntaxOK = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber } && retries.count - digits.count <= 1
                return "strconv.ParseInt: parsing \(Quoting.go(retries)): \(syntaxOK ? "value out of range" : "invalid syntax")"
            }
            if number < 0 { return "--retries cannot be negative (\(number))" }
        }
        return nil
    }

    /// `strconv.ParseInt(text, 10, 32)`.
    private static func goParseInt32(_ text: String) -> Int32? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 11, let magnitude = Int64(digits) else { return nil }
        return Int32(exactly: negative ? -magnitude : magnitude)
    }

    /// BuildKit's stage names: `^[a-z][a-z0-9-_.]*$`.
    private static func isStageName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// BuildKit's `suggest.WrapError`: " (did you mean X?)" when an option is fewer than 3 edits away.
    static func withSuggestion(_ message: String, for value: String, among options: [String], caseSensitive: Bool) -> String {
        let fold: (String) -> String = caseSensitive ? { $0 } : { $0.lowercased() }
        let candidates = options.map(fold)
        // An exact match means the value is known: BuildKit suggests nothing then.
        guard !candidates.contains(fold(value)), let best = nearest(fold(value), among: candidates) else { return message }
        return "\(message) (did you mean \(caseSensitive ? best : matchingCase(best, of: value))?)"
    }

    private static func matchingCase(_ option: String, of original: String) -> String {
        if original == original.lowercased() { return option.lowercased() }
        if original == original.uppercased() { return option.uppercased() }
        return option
    }

    /// BuildKit's `BFlags`: the flags an instruction declares, checked as it parses them.
    struct FlagParser {
        private let flags: [InstructionFlag]
        private var declared: [String: InstructionFacts.FlagKind] = [:]
        private var values: [String: String] = [:]

        init(_ flags: [InstructionFlag]) {
            self.flags = flags
        }

        /// Declares the flags `kind` takes (`InstructionFacts`).
        mutating func declare(_ kind: InstructionKind) {
            // Most instructions have no flags: nothing to check them against.
            guard !flags.isEmpty else { return }
            for flag in InstructionFacts.of(kind)?.flags ?? [] { declared[flag.name] = flag.kind }
        }

        func value(_ name: String) -> String? { values[name] }

        /// The first problem, as BuildKit words it.
        mutating func parse() -> String? {
            guard !flags.isEmpty else { return nil }
            var used: Set<String> = []
            for flag in flags {
                let text = flag.text
                if text == "--" { return nil }
                guard text.hasPrefix("--") else { return "arg should start with -- : \(text)" }
                let equals = text.firstIndex(of: "=")
                let flagName = String(text[..<(equals ?? text.endIndex)])
                let name = String(flagName.dropFirst(2))
                let value = equals.map { String(text[text.index(after: $0)...]) }
                guard let type = declared[name] else {
                    return InstructionValidation.withSuggestion("unknown flag: \(flagName)", for: name, among: declared.keys.sorted(), caseSensitive: true)
                }
                if used.contains(name) && type != .list { return "duplicate flag specified: \(flagName)" }
                used.insert(name)
                switch type {
                case .boolean:
                    if let value, value.isEmpty { return "missing a value on flag: \(flagName)" }
                    switch (value ?? "").lowercased() {
                    case "true", "": values[name] = "true"
                    case "false": values[name] = "false"
                    default: return "expecting boolean value for flag \(flagName), not: \(value ?? "")"
                    }
                case .string, .list:
                    guard let value else { return "missing a value on flag: \(flagName)" }
                    values[name] = value
                }
            }
            return nil
        }
    }
}

/// Go's `time.ParseDuration`, with its error messages.
public enum GoDuration {
    public enum Outcome: Sendable, Equatable {
        case success(Int64)
        case failure(String)
    }

    /// Nanoseconds, or Go's error for `text`.
    public static func parse(_ text: String) -> Outcome {
        let invalid = Outcome.failure("time: invalid duration \(Quoting.goTime(text))")
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return .success(0) }
        if bytes.isEmpty { return invalid }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        while let first = bytes.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { return invalid }
            var whole: UInt64 = 0
            var wholeDigits = 0
            while let byte = bytes.first, isDigit(byte) {
                guard whole <= (limit - 1) / 10 else { return invalid }
                whole = whole * 10 + UInt64(byte - UInt8(ascii: "0"))
                guard whole <= limit else { return invalid }
                bytes = bytes.dropFirst()
                wholeDigits += 1
            }
            var fraction: UInt64 = 0
            var scale = 1.0
            var fractionDigits = 0
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                var overflowed = false
                while let byte = bytes.first, isDigit(byte) {
                    if !overflowed {
                        if fraction > (limit - 1) / 10 {
                            overflowed = true
                        } else {
                            let next = fraction * 10 + UInt64(byte - UInt8(ascii: "0"))
                            if next > limit { overflowed = true } else { fraction = next; scale *= 10 }
                        }
                    }
                    bytes = bytes.dropFirst()
                    fractionDigits += 1
                }
            }
            guard wholeDigits > 0 || fractionDigits > 0 else { return invalid }
            let unitLength = bytes.prefix { $0 != UInt8(ascii: ".") && !isDigit($0) }.count
            guard unitLength > 0 else { return .failure("time: missing unit in duration \(Quoting.goTime(text))") }
            let unit = String(decoding: bytes.prefix(unitLength), as: UTF8.self)
            bytes = bytes.dropFirst(unitLength)
            let units: [String: UInt64] = ["ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
                                           "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000]
            guard let multiplier = units[unit] else {
                return .failure("time: unknown unit \(Quoting.goTime(unit)) in duration \(Quoting.goTime(text))")
            }
            guard whole <= limit / multiplier else { return invalid }
            var value = whole * multiplier
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(multiplier) / scale))
                guard value <= limit else { return invalid }
            }
            total += value
            guard total <= limit else { return invalid }
        }
        if negative { return .success(total == limit ? Int64.min : -Int64(total)) }
        guard total <= limit - 1 else { return invalid }
        return .success(Int64(total))
    }
}
