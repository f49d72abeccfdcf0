import HPDFederation
import Testing

/// The frame both figures share maps episodes and values onto the plot area as documented.
@Suite struct PlotFrameTests {
    @Test func theFirstAndLastEpisodesAndTheValueRangeSpanThePlotArea() {
        let frame = PlotFrame(width: 1000, height: 520, right: 300, episodes: 11, values: [0, 100])
        #expect(abs(frame.low + 5) < 1e-9 && abs(frame.high - 105) < 1e-9, "5 % margins on each side")
        #expect(frame.x(0) == frame.left && frame.x(10) == frame.left + frame.plotWidth)
        #expect(frame.y(frame.low) == frame.top + frame.plotHeight && frame.y(frame.high) == frame.top)
        #expect(abs(frame.y(50) - (frame.top + frame.plotHeight / 2)) < 1e-9)
    }

    @Test func aFlatSeriesAndASingleEpisodeStillGiveAUsableFrame() {
        let frame = PlotFrame(width: 1000, height: 560, right: 320, episodes: 1, values: [7, 7])
        #expect(frame.episodes == 2)
        #expect(frame.high - frame.low > 1, "a flat range is widened to one unit before the margins")
        #expect(frame.y(7).isFinite && frame.x(1) == frame.left + frame.plotWidth)
    }

    @Test func bothFiguresDrawTheSharedFrame() {
        let single = CurvePlot.svg(
            title: "A & B", series: [("agent 1", [1, 2, 3], false)], thresholds: [2])
        let grid = GridCurvePlot.svg(
            title: "A & B", ours: [.init(label: "FedHPD d=5", seedSeries: [[1, 2, 3], [2, 3, 4]])], reference: [],
            thresholds: [2])
        for svg in [single, grid] {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(svg.contains("A &amp; B — "), "the title is escaped")
            #expect(svg.contains("stroke-dasharray=\"4 4\""), "the threshold line")
            #expect(svg.components(separatedBy: "text-anchor=\"end\"").count == 7, "six value ticks")
            #expect(svg.hasSuffix("</svg>\n"))
        }
    }
}
