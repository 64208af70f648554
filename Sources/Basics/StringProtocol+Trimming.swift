extension StringProtocol {
    /// The text without leading and trailing spaces (header values, list items).
    package var trimmingSpaces: Substring {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return slice
    }
}
