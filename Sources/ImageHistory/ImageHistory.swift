/// Placeholder entry type of the ImageHistory module.
public enum ImageHistoryModule {}
