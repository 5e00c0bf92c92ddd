/// Levenshtein distance between two strings (by Unicode scalars), giving up once every path is at least `limit` long
/// (then `limit` is returned): what "did you mean" suggestions need.
package func editDistance(_ first: String, _ second: String, limit: Int = .max) -> Int {
    let a = Array(first.unicodeScalars)
    let b = Array(second.unicodeScalars)
    if abs(a.count - b.count) >= limit { return limit }
    // Two rows of the table, swapped after each.
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for (i, x) in a.enumerated() {
        current[0] = i + 1
        var rowMinimum = current[0]
        for (j, y) in b.enumerated() {
            current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            rowMinimum = Swift.min(rowMinimum, current[j + 1])
        }
        if rowMinimum >= limit { return limit }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The option closest to `value`, when fewer than 3 edits away (and not `value` itself).
package func nearest(_ value: String, among options: [String]) -> String? {
    var best: String?
    var bestDistance = 3
    for option in options where option != value {
        let distance = editDistance(value, option, limit: bestDistance)
        if distance < bestDistance {
            bestDistance = distance
            best = option
        }
    }
    return best
}
