import DockerfileSyntax
import Support

/// The `fmt:` settings of `.dockerkit.yaml` (`indent`, `keyword-case`), read from the same files as the lint settings.
extension FormatOptions {
    /// Applies the `fmt` key of a parsed config file; the other keys are the linter's.
    public mutating func apply(_ document: YAMLValue, path: String) throws(ConfigurationError) {
        guard case .map(let entries) = document.value, let value = entries.first(where: { $0.0 == "fmt" })?.1 else { return }
        guard case .map(let settings) = value.value else {
            throw value.error(path, "fmt: expected a mapping (indent, keyword-case)")
        }
        for (setting, settingValue) in settings {
            switch setting {
            case "indent":
                guard let width = Int(try settingValue.string(path: path, key: setting)), (0...16).contains(width) else {
                    throw settingValue.error(path, "fmt.indent: expected a number from 0 to 16")
                }
                indent = width
            case "keyword-case":
                let text = try settingValue.string(path: path, key: setting)
                guard text == "upper" || text == "lower" else {
                    throw settingValue.error(path, "fmt.keyword-case: expected upper or lower")
                }
                uppercaseKeywords = text == "upper"
            default:
                throw settingValue.error(path, "fmt: unknown key '\(setting)'")
            }
        }
    }
}
