import Support

/// The `parse --format json` document: the whole lossless tree with a range on every node.
extension DockerfileSyntaxTree {
    public func jsonDocument() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("escape"); writer.string(String(UnicodeScalar(escapeToken)))
        // The parser's errors, then what BuildKit's frontend refuses in instructions the parser accepted.
        writer.key("errors")
        writer.beginArray()
        for (error, stage) in errors.map({ ($0, "parser") }) + instructionErrors().map({ ($0, "instructions") }) {
            writer.beginObject()
            writer.key("message"); writer.string(error.message)
            writer.key("stage"); writer.string(stage)
            writer.key("range"); writer.range(error.range)
            writer.endObject()
        }
        writer.endArray()
        writer.key("warnings")
        writer.beginArray()
        for warning in warnings {
            writer.beginObject()
            writer.key("message"); writer.string(warning.message)
            writer.key("range"); writer.range(warning.range)
            writer.endObject()
        }
        writer.endArray()
        writer.key("items")
        writer.beginArray()
        for item in items {
            writer.beginObject()
            switch item {
            case .byteOrderMark(let range):
                writer.key("type"); writer.string("byteOrderMark")
                writer.key("range"); writer.range(range)
            case .directive(let directive):
                writer.key("type"); writer.string("directive")
                writer.key("name"); writer.string(directive.name)
                writer.key("value"); writer.string(directive.value)
                writer.key("range"); writer.range(directive.range)
                writer.key("valueRange"); writer.range(directive.valueRange)
            case .comment(let trivia):
                writer.key("type"); writer.string("comment")
                writer.key("text"); writer.string(trivia.text)
                writer.key("range"); writer.range(trivia.range)
            case .blankLine(let trivia):
                writer.key("type"); writer.string("blankLine")
                writer.key("range"); writer.range(trivia.range)
            case .instruction(let instruction):
                writer.key("type"); writer.string("instruction")
                writer.instructionFields(instruction)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

extension JSONWriter {
    mutating func range(_ range: SourceRange) {
        beginObject()
        for (name, position) in [("start", range.start), ("end", range.end)] {
            key(name)
            beginObject()
            key("offset"); number(position.offset)
            key("line"); number(position.line)
            key("column"); number(position.column)
            endObject()
        }
        endObject()
    }

    mutating func token(_ token: SyntaxToken) {
        beginObject()
        key("text"); string(token.text)
        key("range"); range(token.range)
        endObject()
    }

    mutating func instructionFields(_ instruction: Instruction) {
        key("kind"); string(instruction.kind.rawValue)
        key("keyword"); token(instruction.keyword)
        key("range"); range(instruction.range)
        key("startLine"); number(instruction.startLine)
        key("endLine"); number(instruction.endLine)
        key("text"); string(instruction.text)
        key("flags")
        beginArray()
        for flag in instruction.flags {
            beginObject()
            key("text"); string(flag.text)
            key("name"); string(flag.name)
            key("value"); optionalString(flag.value)
            key("range"); range(flag.range)
            endObject()
        }
        endArray()
        key("arguments")
        if let arguments = instruction.arguments { token(arguments) } else { null() }
        key("json"); bool(instruction.isJSON)
        key("values")
        beginArray()
        for value in instruction.values { token(value) }
        endArray()
        if !instruction.keyValueSeparators.isEmpty {
            key("keyValueSeparators"); stringArray(instruction.keyValueSeparators)
        }
        key("heredocs")
        beginArray()
        for heredoc in instruction.heredocs {
            beginObject()
            key("name"); string(heredoc.name)
            key("fileDescriptor"); number(heredoc.fileDescriptor)
            key("stripsLeadingTabs"); bool(heredoc.stripsLeadingTabs)
            key("expands"); bool(heredoc.expands)
            key("content"); string(heredoc.content)
            key("bodyRange"); range(heredoc.bodyRange)
            key("terminatorRange")
            if let terminator = heredoc.terminatorRange { range(terminator) } else { null() }
            endObject()
        }
        endArray()
        key("lines")
        beginArray()
        for line in instruction.lines {
            beginObject()
            key("kind")
            switch line.kind {
            case .content: string("content")
            case .comment: string("comment")
            case .emptyContinuation: string("emptyContinuation")
            case .heredocBody(let index): string("heredocBody:\(index)")
            case .heredocTerminator(let index): string("heredocTerminator:\(index)")
            }
            key("range"); range(line.range)
            endObject()
        }
        endArray()
        if let trigger = instruction.trigger {
            key("trigger")
            beginObject()
            instructionFields(trigger)
            endObject()
        }
    }
}
