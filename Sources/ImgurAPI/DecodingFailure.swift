/// Readable one-line descriptions of `DecodingError`s.
enum DecodingFailure {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the top level" : keys
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(let type, let context):
            return "wrong shape at \(path(context)): expected \(shortName(type))"
        case .valueNotFound(let type, let context):
            return "null at \(path(context)) where \(shortName(type)) was expected"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON (\(context.debugDescription))" : "bad value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    private static func shortName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("LossyList") { return "a list" }
        if name.hasPrefix("Dictionary") || name == "ImgurItem" || name.hasPrefix("Envelope") { return "an object" }
        if name == "String" { return "a string" }
        if name == "Int" || name == "Double" { return "a number" }
        if name == "Bool" { return "true or false" }
        return name
    }
}
