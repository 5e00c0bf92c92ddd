/// Placeholder entry type of the Templates module.
public enum TemplatesModule {}
