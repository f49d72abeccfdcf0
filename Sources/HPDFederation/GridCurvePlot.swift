import HPDRL

/// The overlay figure of one task: for each setting with runs, the seed mean of the per-seed 100-episode moving
/// averages of the system reward as a solid line with a shaded band of ± one standard deviation over seeds, and the
/// authors' seed-averaged curves (their MA100) as dashed lines in the matching colour when labels agree.
public enum GridCurvePlot {
    /// One of our settings: per-seed system reward series.
    public struct Setting {
        public var label: String
        public var seedSeries: [[Double]]

        public init(label: String, seedSeries: [[Double]]) {
            self.label = label
            self.seedSeries = seedSeries
        }
    }

    /// Per episode: mean and standard deviation over seeds of the per-seed MA100 (over the shortest series).
    public static func band(_ seedSeries: [[Double]]) -> (mean: [Double], deviation: [Double]) {
        let averaged = seedSeries.map { LearningCurve.movingAverage($0) }
        let length = averaged.map(\.count).min() ?? 0
        var mean: [Double] = []
        var deviation: [Double] = []
        for episode in 0..<length {
            let statistics = Comparison.meanAndDeviation(averaged.map { $0[episode] })
            mean.append(statistics.mean)
            deviation.append(statistics.deviation.isNaN ? 0 : statistics.deviation)  // one seed: no band
        }
        return (mean, deviation)
    }

    /// The SVG: `ours` with bands, `reference` (already per-episode, smoothed here by MA100) dashed, thresholds dashed grey.
    public static func svg(
        title: String, ours: [Setting], reference: [(label: String, values: [Double])], thresholds: [Double]
    ) -> String {
        let width = 1000.0
        let height = 560.0
        let left = 70.0
        let right = 320.0
        let top = 40.0
        let bottom = 50.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let bands = ours.map { (label: $0.label, band: band($0.seedSeries)) }
        let references = reference.map { (label: $0.label, values: LearningCurve.movingAverage($0.values)) }
        let episodes = max(2, (bands.map { $0.band.mean.count } + references.map { $0.values.count }).max() ?? 2)
        var values = thresholds + references.flatMap(\.values)
        for entry in bands {
            values += zip(entry.band.mean, entry.band.deviation).flatMap { [$0 - $1, $0 + $1] }
        }
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if high - low < 1e-9 { high = low + 1 }
        let margin = (high - low) * 0.05
        low -= margin
        high += margin
        func x(_ episode: Int) -> String { CurvePlot.format(left + plotWidth * Double(episode) / Double(episodes - 1)) }
        func y(_ value: Double) -> String { CurvePlot.format(top + plotHeight * (1 - (value - low) / (high - low))) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="15">\(CurvePlot.escape(title)) — system reward, 100-episode moving average</text>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="black"/>

            """
        for tick in 0...5 {
            let value = low + (high - low) * Double(tick) / 5
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(y(value))\" dy=\"4\" text-anchor=\"end\">\(CurvePlot.format(value, digits: 0))</text>\n"
            let episode = (episodes - 1) * tick / 5
            svg +=
                "<text x=\"\(x(episode))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(episode + 1)</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">episode</text>\n"
        for threshold in thresholds {
            svg +=
                "<line x1=\"\(left)\" y1=\"\(y(threshold))\" x2=\"\(left + plotWidth)\" y2=\"\(y(threshold))\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n"
        }
        func colour(_ label: String, fallback: Int) -> String {
            let position = bands.firstIndex { $0.label == label } ?? fallback
            return CurvePlot.palette[position % CurvePlot.palette.count]
        }
        var legend: [(label: String, colour: String, dashed: Bool)] = []
        for (position, entry) in bands.enumerated() where !entry.band.mean.isEmpty {
            let step = max(1, entry.band.mean.count / 500)
            let indices = Array(stride(from: 0, to: entry.band.mean.count, by: step))
            let upper = indices.map { "\(x($0)),\(y(entry.band.mean[$0] + entry.band.deviation[$0]))" }
            let lower = indices.reversed().map { "\(x($0)),\(y(entry.band.mean[$0] - entry.band.deviation[$0]))" }
            let shade = colour(entry.label, fallback: position)
            svg +=
                "<polygon fill=\"\(shade)\" fill-opacity=\"0.15\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
            let line = indices.map { "\(x($0)),\(y(entry.band.mean[$0]))" }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(shade)\" stroke-width=\"1.8\" points=\"\(line.joined(separator: " "))\"/>\n"
            legend.append(("ours \(entry.label) (n=\(ours[position].seedSeries.count))", shade, false))
        }
        for (position, entry) in references.enumerated() where !entry.values.isEmpty {
            let step = max(1, entry.values.count / 500)
            let line = stride(from: 0, to: entry.values.count, by: step).map { "\(x($0)),\(y(entry.values[$0]))" }
            let ownLabel = entry.label.replacingOccurrences(of: "reference ", with: "")
            let shade = colour(ownLabel, fallback: bands.count + position)
            svg +=
                "<polyline fill=\"none\" stroke=\"\(shade)\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\" points=\"\(line.joined(separator: " "))\"/>\n"
            legend.append(("authors \(ownLabel)", shade, true))
        }
        for (position, item) in legend.enumerated() {
            let legendY = top + 16 * Double(position)
            let dash = item.dashed ? " stroke-dasharray=\"6 3\"" : ""
            svg +=
                "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth + 32)\" y2=\"\(legendY)\" stroke=\"\(item.colour)\" stroke-width=\"1.8\"\(dash)/>\n"
            svg += "<text x=\"\(left + plotWidth + 38)\" y=\"\(legendY + 4)\">\(CurvePlot.escape(item.label))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
