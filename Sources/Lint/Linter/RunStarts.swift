extension Array where Element == Int32 {
    /// For an array that says where each instruction's run of entries starts in a flat array, and where the last run
    /// ends: replaces the runs of the instructions in `old` by runs of `counts` entries (one for each instruction
    /// that takes their place), and moves the starts after them by the change in length. Returns where the old runs
    /// lay in the flat array.
    @discardableResult
    mutating func replaceRuns(of old: Range<Int>, withCounts counts: [Int]) -> Range<Int> {
        let flat = Int(self[old.lowerBound])..<Int(self[old.upperBound])
        // The start of the first old run stays: it is the start of the first new run, or of the run after them.
        var position = flat.lowerBound
        var starts: [Int32] = []
        starts.reserveCapacity(counts.count)
        for count in counts {
            position += count
            starts.append(Int32(position))
        }
        replaceSubrange((old.lowerBound + 1)..<(old.upperBound + 1), with: starts)
        let shift = Int32(position - flat.upperBound)
        if shift != 0 {
            for index in (old.lowerBound + counts.count + 1)..<count { self[index] += shift }
        }
        return flat
    }
}
