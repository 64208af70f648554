/// A set of small non-negative integers as bits: one bit an index, so a batch of 50,000 inputs
/// keeps which have settled in 6 KB (a `Set<Int>` takes about 1 MB for that).
struct IndexBits {
    private var words: [UInt64] = []
    private(set) var count = 0

    func contains(_ index: Int) -> Bool {
        let word = index >> 6
        return index >= 0 && word < words.count && words[word] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index`; false when it was there already.
    @discardableResult
    mutating func insert(_ index: Int) -> Bool {
        guard index >= 0 else { return false }
        let word = index >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(index & 63)
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        count += 1
        return true
    }
}
