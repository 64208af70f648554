/// Which values were seen already, by their 64-bit hashes, in 8 bytes a value: a sorted array
/// and a short unsorted tail, merged into it when the tail fills. A `Set<Int>` of the same
/// hashes takes about 20 bytes a value (its buckets stay at most three-quarters full and grow
/// by doubling), and a `Set<String>` of 45-character links about 90. For listings of any
/// length; two different values share a hash with odds of about n² / 2⁶⁵ (3 × 10⁻¹¹ for 50,000).
package struct HashSeen: Sendable {
    private var sorted: [UInt64] = []
    private var tail: [UInt64] = []
    private static let tailLimit = 512

    package init() {}

    package var count: Int { sorted.count + tail.count }

    /// Records `value`; false when it was seen already.
    @discardableResult
    package mutating func insert(_ value: some Hashable) -> Bool {
        let hash = UInt64(bitPattern: Int64(value.hashValue))
        guard !contains(hash: hash) else { return false }
        tail.append(hash)
        if tail.count >= Self.tailLimit { merge() }
        return true
    }

    package func contains(_ value: some Hashable) -> Bool {
        contains(hash: UInt64(bitPattern: Int64(value.hashValue)))
    }

    private func contains(hash: UInt64) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return (low < sorted.count && sorted[low] == hash) || tail.contains(hash)
    }

    private mutating func merge() {
        tail.sort()
        var merged: [UInt64] = []
        merged.reserveCapacity(sorted.count + tail.count)
        var i = 0, j = 0
        while i < sorted.count || j < tail.count {
            if j == tail.count || (i < sorted.count && sorted[i] <= tail[j]) {
                merged.append(sorted[i])
                i += 1
            } else {
                merged.append(tail[j])
                j += 1
            }
        }
        sorted = merged
        tail.removeAll(keepingCapacity: true)
    }
}
