import ArgumentParser
import HPDFederation

/// One item of a comma-separated list option: how it is written and read back.
protocol ListItem: Hashable, Sendable {
    /// The item written as `text` (already trimmed), or nil when it is not one.
    init?(listItem text: String)
    /// The item as a user writes it.
    var listItem: String { get }
    /// Why `text` is not an item, for messages: "'x' is not a positive whole number".
    static func refusal(_ text: String) -> String
}

/// A comma-separated list option (`--method fedhpd,nofed`, `--interval 5,10`, `--seeds 20,25`), typed: every item is
/// read with `Item(listItem:)`; an empty list, an empty item or an item given twice is an error (one run must never
/// be counted twice). The same reader serves the command line and the `--config` file.
struct CommaSeparated<Item: ListItem>: ExpressibleByArgument, Equatable, Sendable {
    /// The items, in the order given.
    var items: [Item]

    /// Reads `text`; the error says which item is wrong and why.
    init(parsing text: String) throws(CommandError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.contains(where: { !$0.isEmpty }) else { throw CommandError("the list is empty") }
        var items: [Item] = []
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty else { throw CommandError("item \(index + 1) of '\(text)' is empty") }
            guard let item = Item(listItem: part) else {
                throw CommandError(Item.refusal(part))
            }
            guard !items.contains(item) else {
                throw CommandError("'\(part)' is given twice in '\(text)' (a run must not be counted twice)")
            }
            items.append(item)
        }
        self.items = items
    }

    /// `ExpressibleByArgument`: nil for a text `init(parsing:)` refuses (options use `init(parsing:)` through a
    /// transform, which shows its reason).
    init?(argument: String) {
        guard let list = try? Self(parsing: argument) else { return nil }
        self = list
    }

    /// The list as a user writes it, `5,10`.
    var text: String { items.map(\.listItem).joined(separator: ",") }

    var defaultValueDescription: String { text }
}

extension FederationConfiguration.Method: ListItem {
    /// Any case: `FedHPD`, `fedhpd`.
    init?(listItem text: String) { self.init(rawValue: text.lowercased()) }
    var listItem: String { rawValue }
    static func refusal(_ text: String) -> String { "unknown method '\(text)'; use fedhpd, nofed or dpa" }
}

extension Int: ListItem {
    /// A positive whole number (a distillation interval).
    init?(listItem text: String) {
        guard let value = Int(text), value > 0 else { return nil }
        self = value
    }
    var listItem: String { "\(self)" }
    static func refusal(_ text: String) -> String { "'\(text)' is not a positive whole number" }
}

extension UInt64: ListItem {
    /// A seed: a whole number in 0…2⁶⁴−1.
    init?(listItem text: String) {
        guard let value = UInt64(text) else { return nil }
        self = value
    }
    var listItem: String { "\(self)" }
    static func refusal(_ text: String) -> String { "'\(text)' is not a seed (a whole number in 0...\(UInt64.max))" }
}
