/// A configuration file problem, with the line it is on.
public struct ConfigurationError: Error, Sendable, Equatable {
    public let path: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(path: String, line: Int, column: Int = 1, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column: error: message`.
    public var formatted: String { "\(path):\(line):\(column): error: \(message)" }
}
