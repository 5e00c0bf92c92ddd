extension RandomAccessCollection where Index == Int {
    /// The index of the first element that passes `isPast`, found by bisection: the elements that pass must all follow
    /// those that do not (the end index when none passes).
    public func partitioningIndex(where isPast: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if isPast(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
