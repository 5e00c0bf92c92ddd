/// Placeholder entry type of the Lint module.
public enum LintModule {}
