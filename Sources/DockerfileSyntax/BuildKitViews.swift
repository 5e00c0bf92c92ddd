import Support

/// BuildKit's flat views of a parsed Dockerfile: `Node.Dump()` and the per-instruction records of its parser.
extension DockerfileSyntaxTree {
    /// BuildKit's `Node.Dump()` of the whole file, one parenthesised line per instruction.
    public func buildKitDump() -> String {
        var lines: [String] = []
        for instruction in instructions { lines.append("(" + instruction.buildKitDump() + ")") }
        return lines.joined(separator: "\n")
    }

    /// One JSON object per instruction with the fields BuildKit's parser exposes through the PyPI package
    /// `dockerfile` (BuildKit v0.12): cmd, sub_cmd, json, original, start_line, end_line, flags, value, heredocs.
    public func buildKitCommandLines() -> [String] {
        instructions.map { $0.buildKitCommandJSON() }
    }
}

extension Instruction {
    /// BuildKit's values with ENV/LABEL separators interleaved, as its node chain holds them.
    var nodeChainValues: [String] {
        guard !keyValueSeparators.isEmpty else { return values.map(\.text) }
        var chain: [String] = []
        for (index, separator) in keyValueSeparators.enumerated() where index * 2 + 1 < values.count {
            chain.append(values[index * 2].text)
            chain.append(values[index * 2 + 1].text)
            chain.append(separator)
        }
        return chain
    }

    /// BuildKit's `Node.Dump()` of this instruction, without the enclosing parentheses.
    public func buildKitDump() -> String {
        var dump = keyword.text.lowercased()
        if !flags.isEmpty {
            dump += " [" + flags.map { Quoting.go($0.text) }.joined(separator: " ") + "]"
        }
        if let trigger {
            dump += " (" + trigger.buildKitDump() + ")"
        } else {
            for value in nodeChainValues { dump += " " + Quoting.go(value) }
        }
        return dump.trimmingGoSpace()
    }

    /// The record the PyPI `dockerfile` package gives for this instruction, as one JSON line.
    public func buildKitCommandJSON() -> String {
        var writer = JSONWriter()
        let target = trigger ?? self
        var original = text
        if trigger == nil && !heredocs.isEmpty {
            original += "\n"
            for heredoc in heredocs { original += heredoc.content + heredoc.name + "\n" }
        }
        writer.beginObject()
        writer.key("cmd"); writer.optionalString(keyword.text.isEmpty ? nil : keyword.text)
        writer.key("sub_cmd"); writer.optionalString(trigger.flatMap { $0.keyword.text.isEmpty ? nil : $0.keyword.text })
        writer.key("json"); writer.bool(target.isJSON)
        writer.key("original"); writer.optionalString(original.isEmpty ? nil : original)
        writer.key("start_line"); writer.number(startLine)
        writer.key("end_line"); writer.number(endLine)
        writer.key("flags"); writer.stringArray(flags.map(\.text))
        writer.key("value"); writer.stringArray(target.values.map(\.text))
        writer.key("heredocs")
        writer.beginArray()
        if trigger == nil {
            for heredoc in heredocs {
                writer.beginObject()
                writer.key("name"); writer.string(heredoc.name)
                writer.key("file_descriptor"); writer.number(heredoc.fileDescriptor)
                writer.key("content"); writer.string(heredoc.content)
                writer.endObject()
            }
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

extension String {
    /// strings.TrimSpace.
    func trimmingGoSpace() -> String {
        let bytes = Array(utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            GoText.string(buffer[GoText.trimSpace(buffer, 0..<buffer.count)])
        }
    }
}
