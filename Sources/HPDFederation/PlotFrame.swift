/// The frame every SVG line chart shares (`CurvePlot`, `GridCurvePlot`): a `width` × `height` canvas with the plot
/// area inset by `left`, `right`, `top` and `bottom`; the x axis maps episode e ∈ [0, episodes − 1] linearly onto the
/// plot's width, the y axis maps value v ∈ [low, high] onto its height (high at the top). [low, high] is the range
/// of the values shown widened by 5 % on each side (a range narrower than 10⁻⁹ first becomes [v, v + 1]).
package struct PlotFrame {
    let width: Double
    let height: Double
    package let left = 70.0
    let right: Double
    package let top = 40.0
    let bottom = 50.0
    /// Episodes on the x axis (at least 2).
    package let episodes: Int
    package let low: Double
    package let high: Double

    package var plotWidth: Double { width - left - right }
    package var plotHeight: Double { height - top - bottom }

    /// A frame whose y range covers `values` (with the 5 % margins); `episodes` is raised to 2 if smaller.
    package init(width: Double, height: Double, right: Double, episodes: Int, values: [Double]) {
        self.width = width
        self.height = height
        self.right = right
        self.episodes = max(2, episodes)
        let low = values.min() ?? 0
        var high = values.max() ?? 1
        if high - low < 1e-9 { high = low + 1 }
        let margin = (high - low) * 0.05
        self.low = low - margin
        self.high = high + margin
    }

    /// x = left + plotWidth · episode / (episodes − 1).
    package func x(_ episode: Int) -> Double { left + plotWidth * Double(episode) / Double(episodes - 1) }
    /// y = top + plotHeight · (1 − (value − low) / (high − low)).
    package func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }

    /// The SVG up to the curves: the canvas, `title`, both axes, six value and six episode ticks, the x axis's name
    /// and a dashed grey line at each threshold.
    func opening(title: String, thresholds: [Double]) -> String {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="15">\(Self.escape(title))</text>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="black"/>

            """
        for tick in 0...5 {
            let value = low + (high - low) * Double(tick) / 5
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(Self.format(y(value) + 4))\" text-anchor=\"end\">\(Self.format(value, digits: 0))</text>\n"
            let episode = (episodes - 1) * tick / 5
            svg +=
                "<text x=\"\(Self.format(x(episode)))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(episode + 1)</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">episode</text>\n"
        for threshold in thresholds {
            svg +=
                "<line x1=\"\(left)\" y1=\"\(Self.format(y(threshold)))\" x2=\"\(left + plotWidth)\" y2=\"\(Self.format(y(threshold)))\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n"
        }
        return svg
    }

    /// Legend row `row` (0 at the top, right of the plot): a short line in `colour` and `label`.
    func legendEntry(row: Int, label: String, colour: String, strokeWidth: Double, dash: String) -> String {
        let legendY = top + 16 * Double(row)
        return
            "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth + 32)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"\(strokeWidth)\"\(dash)/>\n"
            + "<text x=\"\(left + plotWidth + 38)\" y=\"\(legendY + 4)\">\(Self.escape(label))</text>\n"
    }

    /// "x,y" of one point, each rounded to one decimal.
    func point(_ episode: Int, _ value: Double) -> String { "\(Self.format(x(episode))),\(Self.format(y(value)))" }

    /// `value` rounded to `digits` decimals (0 or 1) as text.
    static func format(_ value: Double, digits: Int = 1) -> String {
        let scale = digits == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(rounded)) : String(rounded)
    }

    /// `text` with &, < and > escaped for SVG.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Ten distinguishable line colours (matplotlib's).
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
}
