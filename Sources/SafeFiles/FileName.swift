/// Small helpers over file names (not paths).
package enum FileName {
    /// Splits `photo.final.jpg` into (`photo.final`, `.jpg`); a name without a dot, or whose
    /// only dot is the first character, has an empty extension.
    package static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }
}
