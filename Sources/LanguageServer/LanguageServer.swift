import DockerfileSyntax
import Formatting
import Knowledge
import Lint
import Support

/// The Language Server Protocol (3.17) for Dockerfiles: diagnostics from every rule, quick fixes and ignore pragmas,
/// formatting, hover and completion, all in-process. It turns messages into replies; the caller owns the transport.
package final class LanguageServer {
    private var documents: [String: TextDocument] = [:]
    private let linter = Linter()
    /// The lint and format settings for a document's file path (its project's config files).
    private let settings: (String?) -> (LintConfiguration, FormatOptions)
    private var shutdownRequested = false
    /// Set when `exit` arrives: the status the process should end with.
    package private(set) var exitStatus: Int32?
    /// Documents changed since diagnostics were last published, in the order they changed.
    private var changed: [String] = []
    /// Each document's tree and findings since its last change: diagnostics, code actions and hover share them.
    /// A document's entry is current while its revision is the document's; an older one waits to be replaced (freeing a
    /// large tree takes as long as parsing part of it, so it happens after the next diagnostics are sent).
    private var linted: [String: (result: LintResult, tree: DockerfileSyntaxTree, revision: Int)] = [:]
    /// Lint results replaced since the transport last called ``dropReplacedResults()``.
    private var replaced: [(result: LintResult, tree: DockerfileSyntaxTree, revision: Int)] = []
    /// Each document's revision: a number that grows with every open and change, so a lint run away from the message
    /// loop can tell whether its text is still the document's (editors' own version numbers may repeat on reopen).
    private var revisions: [String: Int] = [:]
    private var nextRevision = 1
    private var diagnosticList = DiagnosticList()
    /// What the last lint of each document left for linting its next version.
    private var memos: [String: MemoSlot] = [:]
    /// The most diagnostics published for one document (`maxDiagnostics` in the client's initialization options; 0:
    /// no limit): past a thousand, an editor shows noise and its client spends most of each edit reading them.
    private var maximumDiagnostics = 1000

    package init(settings: @escaping (String?) -> (LintConfiguration, FormatOptions)) {
        self.settings = settings
    }

    // MARK: Dispatch

    /// The JSON texts to send in answer to one incoming message (responses and notifications).
    package func handle(_ message: MessageReader.Message) -> [String] {
        guard case .message(let json) = message else {
            if case .unreadable(let why) = message { return [error(id: .null, code: -32700, message: "parse error: \(why)")] }
            return []
        }
        let id = json["id"]
        guard let method = json["method"]?.string else {
            // A response to something we never asked, or nonsense: a request gets an error, the rest is dropped.
            return id.map { [error(id: $0, code: -32600, message: "invalid request: no method")] } ?? []
        }
        let params = json["params"] ?? .null
        if shutdownRequested && method != "exit" {
            return id.map { [error(id: $0, code: -32600, message: "the server is shutting down")] } ?? []
        }
        switch method {
        case "initialize":
            if let limit = params["initializationOptions"]?["maxDiagnostics"]?.integer, limit >= 0 { maximumDiagnostics = Int(clamping: limit) }
            diagnosticList.linksRules = params["capabilities"]?["textDocument"]?["publishDiagnostics"]?["codeDescriptionSupport"] == .bool(true)
            return reply(id, initializeResult())
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration": return []
        case "shutdown":
            shutdownRequested = true
            return reply(id, "null")
        case "exit":
            exitStatus = shutdownRequested ? 0 : 1
            return []
        case "textDocument/didOpen":
            guard let document = params["textDocument"], let uri = document["uri"]?.string, let text = document["text"]?.string else { return [] }
            documents[uri] = TextDocument(text: text, version: Int(document["version"]?.integer ?? 0))
            markChanged(uri)
            return []
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.string, var document = documents[uri] else { return [] }
            for change in params["contentChanges"]?.array ?? [] {
                guard let text = change["text"]?.string else { continue }
                if let range = change["range"] {
                    document.replace(offsets(of: range, in: document), with: text)
                } else {
                    document.replaceAll(with: text)
                }
            }
            if let version = params["textDocument"]?["version"]?.integer { document.version = Int(version) }
            documents[uri] = document
            markChanged(uri)
            return []
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.string else { return [] }
            documents[uri] = nil
            linted[uri] = nil
            memos[uri] = nil
            revisions[uri] = nil
            changed.removeAll { $0 == uri }
            return [notification("textDocument/publishDiagnostics", "{\"uri\":\(JSONWriter.quoted(uri)),\"diagnostics\":[]}")]
        case "textDocument/didSave": return []
        case "textDocument/formatting", "textDocument/rangeFormatting": return reply(id, formatting(params))
        case "textDocument/codeAction": return reply(id, codeActions(params))
        case "textDocument/hover": return reply(id, hover(params))
        case "textDocument/completion": return reply(id, completion(params))
        case "textDocument/definition": return reply(id, definition(params))
        case "textDocument/documentSymbol": return reply(id, documentSymbols(params))
        default:
            return id.map { [error(id: $0, code: -32601, message: "method not found: \(method)")] } ?? []
        }
    }

    private func markChanged(_ uri: String) {
        revisions[uri] = nextRevision
        nextRevision += 1
        if !changed.contains(uri) { changed.append(uri) }
    }

    /// Diagnostics of the documents changed since the last call, linted here and now (what the tests use; the
    /// command's transport runs the lints of ``pendingLints()`` away from its message loop instead).
    package func publishPendingDiagnostics() -> [String] {
        let (jobs, notices) = pendingLints()
        defer { dropReplacedResults() }
        return notices + jobs.compactMap { publish(Self.run($0)) }
    }

    /// The lints of the documents changed since the last call, to run anywhere (each is a value: the text at one
    /// revision and its settings), and the notices of documents too large to lint, to send now. The transport asks
    /// when no further message is waiting, so a burst of edits is linted once, at its end.
    package func pendingLints() -> (jobs: [LintJob], notices: [String]) {
        defer { changed.removeAll() }
        var jobs: [LintJob] = []
        var notices: [String] = []
        for uri in changed {
            guard let document = documents[uri], let revision = revisions[uri] else { continue }
            if document.bytes.count > Self.maximumDocumentSize {
                notices.append(diagnostics(for: uri))
                continue
            }
            jobs.append(job(for: uri, document: document, revision: revision))
        }
        return (jobs, notices)
    }

    /// The lint of a document's current text, with what its last lint left (the tree and the memo).
    private func job(for uri: String, document: TextDocument, revision: Int) -> LintJob {
        let path = path(of: uri)
        return LintJob(
            uri: uri, revision: revision, bytes: document.bytes, path: path ?? uri, configuration: settings(path).0, linter: linter,
            memo: memo(of: uri), previousTree: linted[uri]?.tree)
    }

    /// The document's memo slot, made on first use.
    private func memo(of uri: String) -> MemoSlot {
        if let slot = memos[uri] { return slot }
        let slot = MemoSlot()
        memos[uri] = slot
        return slot
    }

    /// Frees the lint results replaced by newer ones: the transport calls it once their replacements are sent.
    package func dropReplacedResults() {
        replaced.removeAll()
    }

    /// The document's current revision (nil once closed): a running lint of another revision is stale.
    package func revision(of uri: String) -> Int? {
        revisions[uri]
    }

    /// Runs a lint job on any thread; `cancelled` is asked between rules, and a cancelled lint is for discarding.
    package static func run(_ job: LintJob, cancelled: () -> Bool = { false }) -> FinishedLint {
        let tree = job.previousTree.map { DockerfileParser.parse(job.bytes, editing: $0) } ?? DockerfileParser.parse(job.bytes)
        let (result, memo) = job.linter.lint(tree, path: job.path, configuration: job.configuration, reusing: job.memo.take(), stoppingWhen: cancelled)
        job.memo.put(memo)
        return FinishedLint(job: job, result: result, tree: tree, wasCancelled: cancelled())
    }

    /// Takes a lint run away from the loop: when its document is still at that revision, the result becomes the
    /// document's and its diagnostics notification is returned; a stale or cancelled one gives nil.
    package func publish(_ finished: FinishedLint) -> String? {
        let uri = finished.job.uri
        keep(finished)
        guard !finished.wasCancelled, revisions[uri] == finished.job.revision, documents[uri] != nil else { return nil }
        let notification = diagnostics(for: uri, configuration: finished.job.configuration)
        return notification.isEmpty ? nil : notification
    }

    private func reply(_ id: JSONValue?, _ result: String) -> [String] {
        guard let id else { return [] }
        return ["{\"jsonrpc\":\"2.0\",\"id\":\(encode(id)),\"result\":\(result)}"]
    }

    private func error(id: JSONValue, code: Int, message: String) -> String {
        "{\"jsonrpc\":\"2.0\",\"id\":\(encode(id)),\"error\":{\"code\":\(code),\"message\":\(JSONWriter.quoted(message))}}"
    }

    private func notification(_ method: String, _ params: String) -> String {
        "{\"jsonrpc\":\"2.0\",\"method\":\(JSONWriter.quoted(method)),\"params\":\(params)}"
    }

    private func encode(_ value: JSONValue) -> String {
        switch value {
        case .number(let text): return text
        case .string(let text): return JSONWriter.quoted(text)
        default: return "null"
        }
    }

    private func initializeResult() -> String {
        """
        {"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":false},\
        "documentFormattingProvider":true,"documentRangeFormattingProvider":true,\
        "codeActionProvider":{"codeActionKinds":["quickfix"]},"hoverProvider":true,\
        "completionProvider":{"triggerCharacters":[":","$","=","-"]},"definitionProvider":true,"documentSymbolProvider":true},\
        "serverInfo":{"name":"dockerkit","version":"0.2.0"}}
        """
    }

    // MARK: Documents

    private func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        return percentDecoded(String(uri.dropFirst("file://".count)))
    }

    private func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func offsets(of range: JSONValue, in document: TextDocument) -> Range<Int> {
        func offset(_ position: JSONValue?) -> Int {
            document.offset(line: Int(position?["line"]?.integer ?? 0), character: Int(position?["character"]?.integer ?? 0))
        }
        let start = offset(range["start"])
        return start..<max(start, offset(range["end"]))
    }

    private func rangeJSON(_ range: SourceRange, in document: TextDocument) -> String {
        var output: [UInt8] = []
        DiagnosticList.appendRange(range, in: document, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Documents larger than this get one diagnostic saying so instead of a lint: an editor must never wait
    /// minutes (the command line lints them, with `--max-input-size`).
    package static let maximumDocumentSize = 8 << 20

    private func lint(_ uri: String) -> (TextDocument, LintResult, DockerfileSyntaxTree)? {
        guard let document = documents[uri], document.bytes.count <= Self.maximumDocumentSize else { return nil }
        guard let revision = revisions[uri] else { return nil }
        if let cached = linted[uri], cached.revision == revision { return (document, cached.result, cached.tree) }
        // A request about text not yet linted: the lint the edit would get, here and now.
        let finished = Self.run(job(for: uri, document: document, revision: revision))
        keep(finished)
        return (document, finished.result, finished.tree)
    }

    /// Makes a finished lint the document's: its memo for the next version, and its result while the revision holds.
    private func keep(_ finished: FinishedLint) {
        let uri = finished.job.uri
        guard documents[uri] != nil else { return }
        guard !finished.wasCancelled, revisions[uri] == finished.job.revision else { return }
        if let old = linted.updateValue((finished.result, finished.tree, finished.job.revision), forKey: uri) { replaced.append(old) }
    }

    // MARK: Diagnostics

    /// `configuration`: the settings the lint ran with, when known (they are not looked up again).
    private func diagnostics(for uri: String, configuration lintedWith: LintConfiguration? = nil) -> String {
        if let document = documents[uri], document.bytes.count > Self.maximumDocumentSize {
            let message = "not linted: \(describeByteSize(document.bytes.count)) is over the editor's \(describeByteSize(Self.maximumDocumentSize)); `dockerkit lint --max-input-size SIZE` lints it"
            return notification("textDocument/publishDiagnostics", "{\"uri\":\(JSONWriter.quoted(uri)),\"version\":\(document.version),\"diagnostics\":[{\"range\":"
                + "{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"severity\":2,\"source\":\"dockerkit\",\"message\":\(JSONWriter.quoted(message))}]}")
        }
        guard let (document, result, _) = lint(uri) else { return "" }
        // Findings the project's baseline accepts are hints (or hidden, with `baseline-in-editor: hide`).
        var findings = result.findings
        var known: [Finding] = []
        let configuration = lintedWith ?? settings(path(of: uri)).0
        if let baseline = configuration.baseline {
            let parts = baseline.partition(result, workingDirectory: "/")
            findings = parts.new
            if configuration.baselineInEditor == .hint { known = parts.known }
        }
        let list = diagnosticList.json(findings, known: known, in: document, limit: maximumDiagnostics)
        return notification("textDocument/publishDiagnostics",
                            "{\"uri\":\(JSONWriter.quoted(uri)),\"version\":\(document.version),\"diagnostics\":\(list)}")
    }

    // MARK: Formatting

    private func formatting(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let document = documents[uri] else { return "null" }
        let tree = DockerfileParser.parse(document.bytes)
        guard let formatted = DockerfileFormatter.format(tree, options: settings(path(of: uri)).1), formatted != document.bytes else { return "[]" }
        let end = document.position(of: document.bytes.count)
        return "[{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":\(end.line),\"character\":\(end.character)}},"
            + "\"newText\":\(JSONWriter.quoted(String(decoding: formatted, as: UTF8.self)))}]"
    }

    // MARK: Code actions

    private func codeActions(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let (document, result, tree) = lint(uri), let range = params["range"] else { return "[]" }
        let wanted = offsets(of: range, in: document)
        let startLine = document.position(of: wanted.lowerBound).line
        let endLine = document.position(of: wanted.upperBound).line
        var actions: [String] = []
        func edit(_ edits: [TextEdit]) -> String {
            let changes = edits.map { edit in
                "{\"range\":\(rangeJSON(SourceRange(start: tree.lineTable.position(of: edit.offsets.lowerBound), end: tree.lineTable.position(of: edit.offsets.upperBound)), in: document)),"
                    + "\"newText\":\(JSONWriter.quoted(edit.replacement))}"
            }
            return "{\"changes\":{\(JSONWriter.quoted(uri)):[\(changes.joined(separator: ","))]}}"
        }
        var ignoredCodes: Set<String> = []
        for finding in result.findings {
            let line = finding.range.start.line - 1
            guard line >= startLine && line <= endLine else { continue }
            if let fix = finding.fix {
                let title = "\(fix.summary) (\(finding.code))" + (fix.applicability == .unsafe ? " (changes what the image does)" : "")
                actions.append("{\"title\":\(JSONWriter.quoted(title)),\"kind\":\"quickfix\",\"isPreferred\":\(fix.applicability == .safe),\"edit\":\(edit(fix.edits))}")
            }
            guard !ignoredCodes.contains(finding.code) else { continue }
            ignoredCodes.insert(finding.code)
            // The pragma goes on its own line before the instruction the finding is in.
            let instruction = tree.instructions.last { $0.range.start.offset <= finding.range.start.offset }
            let lineStart = (instruction?.range.start.offset ?? finding.range.start.offset) - ((instruction?.range.start.column ?? finding.range.start.column) - 1)
            let tool = finding.code.hasPrefix("DL") ? "hadolint" : "dockerkit"
            actions.append("{\"title\":\(JSONWriter.quoted("Ignore \(finding.code) for this instruction")),\"kind\":\"quickfix\","
                + "\"edit\":\(edit([TextEdit(offsets: lineStart..<lineStart, replacement: "# \(tool) ignore=\(finding.code)\n")]))}")
            actions.append("{\"title\":\(JSONWriter.quoted("Ignore \(finding.code) in this file")),\"kind\":\"quickfix\","
                + "\"edit\":\(edit([TextEdit(offsets: 0..<0, replacement: "# \(tool) global ignore=\(finding.code)\n")]))}")
        }
        return "[" + actions.joined(separator: ",") + "]"
    }

    // MARK: Hover

    private func hover(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let (document, result, tree) = lint(uri), let position = params["position"] else { return "null" }
        let offset = document.offset(line: Int(position["line"]?.integer ?? 0), character: Int(position["character"]?.integer ?? 0))
        var parts: [String] = []
        for finding in result.findings where finding.range.start.offset <= offset && offset <= finding.range.end.offset {
            if let rule = RuleRegistry.rule(finding.code)?.description {
                parts.append("**\(rule.code) \(rule.name)**: \(rule.summary)\n\n\(rule.rationale)")
            }
        }
        if let instruction = tree.instructions.first(where: { $0.keyword.range.start.offset <= offset && offset <= $0.keyword.range.end.offset }),
           let text = InstructionFacts.of(instruction.kind)?.syntax {
            parts.insert("`\(text)`", at: 0)
        }
        if let from = tree.instructions.first(where: { $0.kind == .from && $0.range.start.offset <= offset && offset <= $0.range.end.offset }),
           let image = FromInstruction(from)?.image?.text, image.hasPrefix("nvidia/cuda:") {
            let tag = String(image.dropFirst("nvidia/cuda:".count))
            if let known = CudaImageCatalog.shared.images.first(where: { $0.tag == tag }) {
                let flavors = Set(CudaImageCatalog.shared.images.filter { $0.version == known.version && $0.os == known.os && $0.status != .removed }.map(\.flavor))
                parts.append("nvidia/cuda:\(tag): \(known.status.rawValue) (\(known.source)). Flavors of CUDA \(known.version) on \(known.os): \(flavors.sorted().joined(separator: ", ")).")
            } else {
                parts.append("nvidia/cuda:\(tag) is not a tag NVIDIA published")
            }
        }
        if let (name, definition) = variableDefinition(at: offset, in: document, tree: tree) {
            parts.append("`\(name)`: \(definition.kind == .arg ? "ARG" : "ENV") on line \(definition.line)" + (definition.value.map { ", value `\($0)`" } ?? ", no default"))
        }
        guard !parts.isEmpty else { return "null" }
        return "{\"contents\":{\"kind\":\"markdown\",\"value\":\(JSONWriter.quoted(parts.joined(separator: "\n\n---\n\n")))}}"
    }

    // MARK: Definitions and symbols

    struct VariableDefinition {
        let kind: InstructionKind
        let line: Int
        let value: String?
        let range: SourceRange
    }

    /// The `$NAME`/`${NAME}` under `offset`, and the ARG or ENV before it that defines it.
    private func variableDefinition(at offset: Int, in document: TextDocument, tree: DockerfileSyntaxTree) -> (String, VariableDefinition)? {
        let bytes = document.bytes
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
        var start = min(offset, bytes.count)
        while start > 0 && isNameByte(bytes[start - 1]) { start -= 1 }
        var end = min(offset, bytes.count)
        while end < bytes.count && isNameByte(bytes[end]) { end += 1 }
        guard end > start, start > 0 else { return nil }
        let before = bytes[start - 1]
        guard before == UInt8(ascii: "$") || (before == UInt8(ascii: "{") && start > 1 && bytes[start - 2] == UInt8(ascii: "$")) else { return nil }
        let name = String(decoding: bytes[start..<end], as: UTF8.self)
        var found: VariableDefinition?
        for instruction in tree.instructions where instruction.range.start.offset < start {
            if let arg = ArgInstruction(instruction), let definition = arg.definitions.first(where: { $0.name == name }) {
                found = VariableDefinition(kind: .arg, line: instruction.startLine, value: definition.defaultValue, range: definition.token.range)
            } else if instruction.kind == .env, let env = KeyValueInstruction(instruction), let pair = env.pairs.first(where: { $0.key.text == name }) {
                found = VariableDefinition(kind: .env, line: instruction.startLine, value: pair.unquotedValue(escapeToken: tree.escapeToken), range: pair.key.range)
            }
        }
        return found.map { (name, $0) }
    }

    private func definition(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let document = documents[uri], let position = params["position"] else { return "null" }
        let tree = DockerfileParser.parse(document.bytes)
        let offset = document.offset(line: Int(position["line"]?.integer ?? 0), character: Int(position["character"]?.integer ?? 0))
        func location(_ range: SourceRange) -> String { "{\"uri\":\(JSONWriter.quoted(uri)),\"range\":\(rangeJSON(range, in: document))}" }
        if let (_, definition) = variableDefinition(at: offset, in: document, tree: tree) { return location(definition.range) }
        // `--from=stage` or `FROM stage`: the FROM that names the stage.
        let stages = DockerfileSyntaxTree.buildStages(of: tree.instructions)
        for instruction in tree.instructions where instruction.range.start.offset <= offset && offset <= instruction.range.end.offset {
            var referenced = instruction.flags.first { $0.name == "from" && $0.range.start.offset <= offset && offset <= $0.range.end.offset }?.value
            if referenced == nil, let from = FromInstruction(instruction), let image = from.image,
               image.range.start.offset <= offset && offset <= image.range.end.offset {
                referenced = image.text
            }
            if let referenced, let name = DockerfileSyntaxTree.stage(named: referenced, in: stages)?.from.stageName {
                return location(name.range)
            }
        }
        return "null"
    }

    private func documentSymbols(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let document = documents[uri] else { return "[]" }
        let tree = DockerfileParser.parse(document.bytes)
        let instructions = tree.instructions
        func symbol(_ name: String, _ kind: Int, _ range: SourceRange, _ selection: SourceRange, _ children: [String]?) -> String {
            "{\"name\":\(JSONWriter.quoted(name)),\"kind\":\(kind),\"range\":\(rangeJSON(range, in: document)),\"selectionRange\":\(rangeJSON(selection, in: document))"
                + (children.map { ",\"children\":[\($0.joined(separator: ","))]" } ?? "") + "}"
        }
        func child(_ index: Int) -> String {
            let instruction = instructions[index]
            let text = instruction.text.count > 60 ? String(instruction.text.prefix(57)) + "..." : instruction.text
            return symbol(text, 12, instruction.range, instruction.keyword.range, nil)
        }
        let stages = DockerfileSyntaxTree.buildStages(of: instructions)
        guard let first = stages.first else { return "[" + instructions.indices.map(child).joined(separator: ",") + "]" }
        // Each stage holds its instructions; the ARGs before the first FROM are listed in the first stage.
        return "[" + stages.map { stage in
            let from = stage.from
            let name = from.stageName.map { "\($0.text) (\(from.image?.text ?? ""))" } ?? (from.image?.text ?? "FROM")
            let header = instructions[stage.instructionIndices.lowerBound].range
            let end = stage.instructionIndices.upperBound < instructions.count ? instructions[stage.instructionIndices.upperBound].range.start : instructions[instructions.count - 1].range.end
            let leading = stage.index == 0 ? Array(0..<first.instructionIndices.lowerBound) : []
            return symbol(name, 2, SourceRange(start: header.start, end: end), header, (leading + stage.instructionIndices.dropFirst()).map(child))
        }.joined(separator: ",") + "]"
    }

    // MARK: Completion

    private func completion(_ params: JSONValue) -> String {
        guard let uri = params["textDocument"]?["uri"]?.string, let document = documents[uri], let position = params["position"] else { return "[]" }
        let lineIndex = Int(position["line"]?.integer ?? 0)
        let line = document.line(lineIndex)
        let character = Int(position["character"]?.integer ?? 0)
        let before = String(line.utf16.prefix(character)) ?? line
        var items: [(label: String, kind: Int, detail: String)] = []
        var tagRanks: [Int] = []
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        if let colon = trimmed.firstRange(of: "nvidia/cuda:"), trimmed.lowercased().hasPrefix("from") {
            let typed = String(trimmed[colon.upperBound...])
            for image in Self.tagsBestFirst(typed) {
                items.append((image.tag, 12, Self.tagDetail(image)))
                tagRanks.append(Self.statusRank(image.status))
            }
        } else if let dollar = before.lastIndex(of: "$"), !before[dollar...].contains(" ") {
            let tree = DockerfileParser.parse(document.bytes)
            var names: Set<String> = []
            for instruction in tree.instructions {
                if let arg = ArgInstruction(instruction) { names.formUnion(arg.definitions.map(\.name)) }
                if instruction.kind == .env, let env = KeyValueInstruction(instruction) { names.formUnion(env.pairs.map(\.key.text)) }
            }
            items += names.sorted().map { ($0, 6, "ARG or ENV") }
        } else if before.hasSuffix("--from=") || (trimmed.uppercased().hasPrefix("FROM ") && trimmed.split(separator: " ").count == 1) {
            let tree = DockerfileParser.parse(document.bytes)
            items += DockerfileSyntaxTree.buildStages(of: tree.instructions).compactMap(\.name).map { ($0, 18, "build stage") }
        } else if !trimmed.contains(" ") {
            items += InstructionKind.allCases.filter { $0 != .unknown }.map { ($0.rawValue.uppercased(), 14, InstructionFacts.of($0)?.syntax ?? "") }
        } else if before.hasSuffix("-"), let keyword = trimmed.split(separator: " ").first,
                  let facts = InstructionFacts.of(InstructionKind(keyword: Array(keyword.utf8))) {
            items += facts.flags.filter(\.isOffered).map { ($0.completion, 5, "\(keyword.uppercased()) flag") }
        }
        let json = items.prefix(500).enumerated().map { index, item in
            var fields = "\"label\":\(JSONWriter.quoted(item.label)),\"kind\":\(item.kind),\"detail\":\(JSONWriter.quoted(item.detail))"
            if index < tagRanks.count {
                // The editor sorts by sortText: supported tags first, newest first; removed ones last, struck through.
                fields += ",\"sortText\":\(JSONWriter.quoted(String(tagRanks[index]) + String(repeating: "0", count: max(0, 5 - String(index).count)) + String(index)))"
                if tagRanks[index] == 3 { fields += ",\"tags\":[1],\"deprecated\":true" }
            }
            return "{" + fields + "}"
        }
        return "{\"isIncomplete\":\(items.count > 500),\"items\":[\(json.joined(separator: ","))]}"
    }

    /// The nvidia/cuda tags starting with `typed`: supported, then still published, unknown and removed; newest
    /// CUDA and OS first within each.
    static func tagsBestFirst(_ typed: String) -> [CudaImage] {
        CudaImageCatalog.shared.images.filter { $0.tag.hasPrefix(typed) && !$0.os.isEmpty }.sorted { left, right in
            if statusRank(left.status) != statusRank(right.status) { return statusRank(left.status) < statusRank(right.status) }
            let version = compareVersions(left.version, right.version)
            if version != .orderedSame { return version == .orderedDescending }
            if left.os != right.os { return compareVersions(left.os, right.os) == .orderedDescending }
            return left.tag < right.tag
        }
    }

    static func statusRank(_ status: CudaImageStatus) -> Int {
        switch status {
        case .supported: return 0
        case .unsupported: return 1
        case .unknown: return 2
        case .removed: return 3
        }
    }

    static func tagDetail(_ image: CudaImage) -> String {
        switch image.status {
        case .supported: return "supported"
        case .unsupported: return "published, no longer updated"
        case .unknown: return "unknown: presumed deleted, unverified"
        case .removed: return "removed: pulls fail"
        }
    }
}

/// A document's text at one revision with what linting it needs: a value, so it can be linted on another thread.
package struct LintJob: Sendable {
    package let uri: String
    package let revision: Int
    package let bytes: [UInt8]
    package let path: String
    package let configuration: LintConfiguration
    package let linter: Linter
    /// Where the document's memo waits between lints: the lint takes it (its unchanged instructions are not checked
    /// again) and leaves the next.
    package let memo: MemoSlot
    /// The tree of a previous version: only the instructions around the edit are parsed again.
    package let previousTree: DockerfileSyntaxTree?
}

/// A lint job's result.
package struct FinishedLint: Sendable {
    package let job: LintJob
    package let result: LintResult
    package let tree: DockerfileSyntaxTree
    /// Stopped early because the document changed: the findings are incomplete.
    package let wasCancelled: Bool
}
