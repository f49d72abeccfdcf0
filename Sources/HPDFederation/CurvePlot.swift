import HPDRL

/// Minimal SVG line charts of 100-episode moving averages.
public enum CurvePlot {
    /// An SVG with one MA100 line per series (`emphasised` series drawn thick and black when there is one, coloured
    /// otherwise), dashed horizontal lines at `thresholds`, axes and a legend.
    public static func svg(
        title: String, series: [(name: String, values: [Double], emphasised: Bool)], thresholds: [Double]
    ) -> String {
        let averaged = series.map { ($0.name, LearningCurve.movingAverage($0.values), $0.emphasised) }
        let frame = PlotFrame(
            width: 1000, height: 520, right: 300, episodes: averaged.map { $0.1.count }.max() ?? 2,
            values: averaged.flatMap { $0.1 } + thresholds)
        var svg = frame.opening(title: title + " — 100-episode moving average", thresholds: thresholds)
        let hasEmphasis = averaged.contains { $0.2 }
        for (index, (name, values, emphasised)) in averaged.enumerated() {
            guard !values.isEmpty else { continue }
            let step = max(1, values.count / 600)
            let points = stride(from: 0, to: values.count, by: step).map { frame.point($0, values[$0]) }
            let colour = emphasised && hasEmphasis ? "black" : PlotFrame.palette[index % PlotFrame.palette.count]
            let strokeWidth = emphasised ? 2.5 : (hasEmphasis ? 1 : 1.8)
            let opacity = hasEmphasis && !emphasised ? 0.55 : 1
            let dash = name.hasPrefix("reference") ? " stroke-dasharray=\"6 3\"" : ""
            svg +=
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(strokeWidth)\" stroke-opacity=\"\(opacity)\"\(dash) points=\"\(points.joined(separator: " "))\"/>\n"
            svg += frame.legendEntry(row: index, label: name, colour: colour, strokeWidth: strokeWidth, dash: dash)
        }
        return svg + "</svg>\n"
    }
}
