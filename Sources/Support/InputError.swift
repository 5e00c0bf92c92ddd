/// Input that cannot be read (an archive, a JSON document, a file), with where (`file:line:column`) when known.
package struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    package let source: String
    package let line: Int?
    package let column: Int?
    package let message: String

    package init(source: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String {
        if let line { return "\(source):\(line):\(column ?? 1): error: \(message)" }
        return "\(source): error: \(message)"
    }
}
