import Foundation

/// Fixed-width text columns for the tables printed on stdout.
struct TextTable {
    /// A column: its title, width and whether values are right-aligned.
    struct Column {
        let title: String
        let width: Int
        let rightAligned: Bool

        init(_ title: String, width: Int, rightAligned: Bool = true) {
            self.title = title
            self.width = width
            self.rightAligned = rightAligned
        }
    }

    let columns: [Column]

    /// The title line followed by a rule.
    var header: String {
        let titles = line(columns.map(\.title))
        return titles + "\n" + String(repeating: "-", count: titles.count)
    }

    /// One row; values longer than their column push the rest right rather than being cut.
    func line(_ values: [String]) -> String {
        zip(columns, values).map { column, value in
            let padding = String(repeating: " ", count: max(0, column.width - value.count))
            return column.rightAligned ? padding + value : value + padding
        }.joined(separator: " ")
    }
}

/// `value` with `decimals` digits after the point, or `-` when absent.
func formatted(_ value: Double?, decimals: Int) -> String {
    guard let value, value.isFinite else { return "-" }
    return String(format: "%.\(decimals)f", value)
}

/// `value` rounded to `decimals` digits (for JSON output).
func rounded(_ value: Double, decimals: Int) -> Double {
    let scale = pow(10, Double(decimals))
    return (value * scale).rounded() / scale
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
