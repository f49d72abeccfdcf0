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
        let bands = ours.map { (label: $0.label, band: band($0.seedSeries)) }
        let references = reference.map { (label: $0.label, values: LearningCurve.movingAverage($0.values)) }
        var values = thresholds + references.flatMap(\.values)
        for entry in bands {
            values += zip(entry.band.mean, entry.band.deviation).flatMap { [$0 - $1, $0 + $1] }
        }
        let frame = PlotFrame(
            width: 1000, height: 560, right: 320,
            episodes: (bands.map { $0.band.mean.count } + references.map { $0.values.count }).max() ?? 2,
            values: values)
        var svg = frame.opening(
            title: title + " — system reward, 100-episode moving average", thresholds: thresholds)
        func colour(_ label: String, fallback: Int) -> String {
            let position = bands.firstIndex { $0.label == label } ?? fallback
            return PlotFrame.palette[position % PlotFrame.palette.count]
        }
        var legend: [(label: String, colour: String, dashed: Bool)] = []
        for (position, entry) in bands.enumerated() where !entry.band.mean.isEmpty {
            let step = max(1, entry.band.mean.count / 500)
            let indices = Array(stride(from: 0, to: entry.band.mean.count, by: step))
            let upper = indices.map { frame.point($0, entry.band.mean[$0] + entry.band.deviation[$0]) }
            let lower = indices.reversed().map { frame.point($0, entry.band.mean[$0] - entry.band.deviation[$0]) }
            let shade = colour(entry.label, fallback: position)
            svg +=
                "<polygon fill=\"\(shade)\" fill-opacity=\"0.15\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
            let line = indices.map { frame.point($0, entry.band.mean[$0]) }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(shade)\" stroke-width=\"1.8\" points=\"\(line.joined(separator: " "))\"/>\n"
            legend.append(("ours \(entry.label) (n=\(ours[position].seedSeries.count))", shade, false))
        }
        for (position, entry) in references.enumerated() where !entry.values.isEmpty {
            let step = max(1, entry.values.count / 500)
            let line = stride(from: 0, to: entry.values.count, by: step).map { frame.point($0, entry.values[$0]) }
            let ownLabel = entry.label.replacingOccurrences(of: "reference ", with: "")
            let shade = colour(ownLabel, fallback: bands.count + position)
            svg +=
                "<polyline fill=\"none\" stroke=\"\(shade)\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\" points=\"\(line.joined(separator: " "))\"/>\n"
            legend.append(("authors \(ownLabel)", shade, true))
        }
        for (position, item) in legend.enumerated() {
            svg += frame.legendEntry(
                row: position, label: item.label, colour: item.colour, strokeWidth: 1.8,
                dash: item.dashed ? " stroke-dasharray=\"6 3\"" : "")
        }
        return svg + "</svg>\n"
    }
}
