import Foundation

/// Decoding of JSON that people write by hand (`--config`, `--agents FILE.json`), with errors they can act on: a
/// syntax error gives its line and column, an unknown key is refused with the closest known key as a suggestion,
/// and a value of the wrong type names its field.
public enum StrictJSON {
    /// Decodes `T` from `data`, first checking the syntax and, for an object or an array of objects, that every key
    /// is one of `keys` (`nil`: no key check) and every object under a key of `nested` holds only that key's keys
    /// (at any depth: `"valueNetwork"` is checked wherever it appears). `file` names the source in messages.
    public static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, file: String, keys: [String]?, nested: [String: [String]] = [:]
    ) throws(FederationError) -> T {
        let object = try parse(data, file: file)
        if let keys {
            if let dictionary = object as? [String: Any] {
                try check(dictionary, keys: keys, nested: nested, file: file, place: nil)
            } else if let array = object as? [Any] {
                for (index, element) in array.enumerated() {
                    guard let dictionary = element as? [String: Any] else {
                        throw .invalidConfiguration("\(file): entry \(index + 1) is not an object")
                    }
                    try check(dictionary, keys: keys, nested: nested, file: file, place: "entry \(index + 1)")
                }
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let field = hugeNumber(in: object)
            {
                // Foundation reports a number too large for its field as invalid JSON, without the field.
                throw .invalidConfiguration("\(file): '\(field.key)': \(field.value) is too large for this field")
            }
            throw .invalidConfiguration("\(file): \(describe(error))")
        } catch {
            throw .invalidConfiguration("\(file): \(error)")
        }
    }

    /// Parses JSON text; a syntax error names the line and column. A trailing comma (`[1, 2,]`, `{"a": 1,}`), which
    /// Foundation's parser lets through but JSON (RFC 8259) and other readers of the file refuse, is a syntax error.
    public static func parse(_ data: Data, file: String) throws(FederationError) -> Any {
        do {
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            if let comma = trailingComma(in: data) {
                let (line, column) = position(ofCharacter: comma, in: data)
                throw FederationError.invalidConfiguration(
                    "\(file):\(line):\(column): not valid JSON (a trailing comma before a closing bracket or brace)")
            }
            return object
        } catch let error as FederationError {
            throw error
        } catch {
            let reason = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
            if let line = number(after: "line ", in: reason), let column = number(after: "column ", in: reason) {
                throw .invalidConfiguration("\(file):\(line):\(max(column, 1)): not valid JSON (\(reason))")
            }
            guard let offset = characterOffset(in: reason) else {
                throw .invalidConfiguration("\(file): not valid JSON (\(reason))")
            }
            let (line, column) = position(ofCharacter: offset, in: data)
            throw .invalidConfiguration("\(file):\(line):\(column): not valid JSON (\(reason))")
        }
    }

    /// Refuses keys outside `keys`, suggesting the closest known one, then checks the objects under `nested`'s keys.
    static func check(
        _ dictionary: [String: Any], keys: [String], nested: [String: [String]], file: String, place: String?
    ) throws(FederationError) {
        let location = place.map { "\($0): " } ?? ""
        for key in dictionary.keys.sorted() where !keys.contains(key) {
            let suggestion = closest(to: key, among: keys).map { " (did you mean '\($0)'?)" } ?? ""
            throw .invalidConfiguration(
                "\(file): \(location)unknown key '\(key)'\(suggestion); known keys: \(keys.joined(separator: ", "))")
        }
        for key in dictionary.keys.sorted() {
            guard let inner = dictionary[key] as? [String: Any], let innerKeys = nested[key] else { continue }
            try check(inner, keys: innerKeys, nested: nested, file: file, place: (place.map { "\($0)." } ?? "") + key)
        }
    }

    /// The known key nearest to `key` in edit distance (case-insensitive), if it is near enough to be a typo: at
    /// most a third of the key's length, and at least 1.
    public static func closest(to key: String, among keys: [String]) -> String? {
        let scored = keys.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, key.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance: the fewest single-character insertions, deletions and substitutions turning `a`
    /// into `b`.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// A decoding error in words, with the path of the field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "entry \($0 + 1)" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the top level" : "'\(text)'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(name(of: type)) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(name(of: type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required but missing"
        case .dataCorrupted(let context):
            return
                "\(path(context.codingPath)): \(context.debugDescription) (a number out of range, or not whole where a whole number is needed?)"
        @unknown default:
            return "\(error)"
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return "\(type)"
        }
    }

    /// The first key (in an object, or an array's objects) holding a number beyond the 64-bit integer range.
    static func hugeNumber(in object: Any) -> (key: String, value: String)? {
        let dictionaries =
            (object as? [String: Any]).map { [$0] } ?? (object as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
        for dictionary in dictionaries {
            for key in dictionary.keys.sorted() {
                if let number = dictionary[key] as? NSNumber, abs(number.doubleValue) >= 9.2e18 {
                    return (key, "\(number)")
                }
            }
        }
        return nil
    }

    /// The byte offset of the first comma followed, past white space, by `]` or `}` outside strings.
    static func trailingComma(in data: Data) -> Int? {
        var inString = false
        var escaped = false
        var pendingComma: Int?
        for (offset, byte) in data.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let pendingComma { return pendingComma }
            case UInt8(ascii: ","):
                pendingComma = offset
                continue
            case UInt8(ascii: "\""):
                inString = true
            default: break
            }
            pendingComma = nil
        }
        return nil
    }

    /// The whole number right after `word` in `reason` ("around line 3, column 1"), if any.
    static func number(after word: String, in reason: String) -> Int? {
        guard let range = reason.range(of: word) else { return nil }
        return Int(reason[range.upperBound...].prefix { $0.isNumber })
    }

    /// The character offset in Foundation's "… around character N." messages.
    static func characterOffset(in reason: String) -> Int? {
        guard let range = reason.range(of: "character ") else { return nil }
        return Int(reason[range.upperBound...].prefix { $0.isNumber })
    }

    /// The 1-based line and column of character `offset` (0-based, counted in UTF-8 bytes as Foundation does).
    static func position(ofCharacter offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

/// A list option written in a file in whichever form a user reaches for: a JSON array (`[20, 25]`), a single
/// number (`5`) or the command line's comma-separated string (`"20,25"`). `text` is the command-line form.
public struct CommaList: Decodable, Equatable, Sendable {
    /// The comma-separated form, as on the command line.
    public var text: String

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let number = try? container.decode(Int.self) {
            text = "\(number)"
        } else if let number = try? container.decode(Double.self) {
            text = "\(number)"  // 1e23 → "1e+23", refused by the field's reader with its own words
        } else if let flag = try? container.decode(Bool.self) {
            text = "\(flag)"
        } else if let numbers = try? container.decode([Int].self) {
            text = numbers.map(String.init).joined(separator: ",")
        } else if let numbers = try? container.decode([Double].self) {
            text = numbers.map { "\($0)" }.joined(separator: ",")
        } else if let strings = try? container.decode([String].self) {
            text = strings.joined(separator: ",")
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath, debugDescription: "a list: [20, 25], 20 or \"20,25\""))
        }
    }
}
