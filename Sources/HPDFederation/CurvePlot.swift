import HPDRL

/// Minimal SVG line charts of 100-episode moving averages.
public enum CurvePlot {
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]

    /// An SVG with one MA100 line per series (`emphasised` series drawn thick and black when there is one, coloured
    /// otherwise), dashed horizontal lines at `thresholds`, axes and a legend.
    public static func svg(
        title: String, series: [(name: String, values: [Double], emphasised: Bool)], thresholds: [Double]
    ) -> String {
        let width = 1000.0
        let height = 520.0
        let left = 70.0
        let right = 300.0
        let top = 40.0
        let bottom = 50.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let averaged = series.map { ($0.name, LearningCurve.movingAverage($0.values), $0.emphasised) }
        let episodes = max(2, averaged.map { $0.1.count }.max() ?? 2)
        let allValues = averaged.flatMap { $0.1 } + thresholds
        var low = allValues.min() ?? 0
        var high = allValues.max() ?? 1
        if high - low < 1e-9 { high = low + 1 }
        let margin = (high - low) * 0.05
        low -= margin
        high += margin
        func x(_ episode: Int) -> Double { left + plotWidth * Double(episode) / Double(episodes - 1) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="15">\(escape(title)) — 100-episode moving average</text>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="black"/>

            """
        for tick in 0...5 {
            let value = low + (high - low) * Double(tick) / 5
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(format(y(value) + 4))\" text-anchor=\"end\">\(format(value, digits: 0))</text>\n"
            let episode = (episodes - 1) * tick / 5
            svg +=
                "<text x=\"\(format(x(episode)))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(episode + 1)</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">episode</text>\n"
        for threshold in thresholds {
            svg +=
                "<line x1=\"\(left)\" y1=\"\(format(y(threshold)))\" x2=\"\(left + plotWidth)\" y2=\"\(format(y(threshold)))\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n"
        }
        let hasEmphasis = averaged.contains { $0.2 }
        for (index, (name, values, emphasised)) in averaged.enumerated() {
            guard !values.isEmpty else { continue }
            let step = max(1, values.count / 600)
            let points = stride(from: 0, to: values.count, by: step).map { "\(format(x($0))),\(format(y(values[$0])))" }
            let colour = emphasised && hasEmphasis ? "black" : palette[index % palette.count]
            let strokeWidth = emphasised ? 2.5 : (hasEmphasis ? 1 : 1.8)
            let opacity = hasEmphasis && !emphasised ? 0.55 : 1
            let dash = name.hasPrefix("reference") ? " stroke-dasharray=\"6 3\"" : ""
            svg +=
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(strokeWidth)\" stroke-opacity=\"\(opacity)\"\(dash) points=\"\(points.joined(separator: " "))\"/>\n"
            let legendY = top + 16 * Double(index)
            svg +=
                "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth + 32)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"\(strokeWidth)\"\(dash)/>\n"
            svg += "<text x=\"\(left + plotWidth + 38)\" y=\"\(legendY + 4)\">\(escape(name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func format(_ value: Double, digits: Int = 1) -> String {
        let scale = digits == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
