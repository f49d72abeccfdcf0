import Foundation

/// A self-contained animated SVG of one episode (SMIL animation, which every current browser plays): a static
/// background, parts that move (translate, then rotate about their own origin) or blink frame by frame, and a caption
/// per frame. Frame i is shown from i·Δt to (i + 1)·Δt; the last frame stays.
///
/// The elements' plain attributes hold one frame's pose (frame 0, or `still`), so renderers without animation
/// (rsvg-convert, image viewers) draw that frame.
struct EpisodeAnimation {
    /// Where a part is in one frame: a translation in pixels, then a clockwise rotation in degrees.
    struct Pose {
        var x: Double
        var y: Double
        var degrees: Double = 0
    }

    /// A drawing in its own coordinates, its pose in every frame and, optionally, whether it is shown.
    struct Part {
        var drawing: String
        var poses: [Pose]
        var shown: [Bool]? = nil
    }

    var width: Double
    var height: Double
    /// SVG elements drawn behind the parts.
    var background: String
    var parts: [Part]
    /// One caption per frame.
    var captions: [String]
    /// Seconds per frame.
    var frameSeconds = 0.02

    var frameCount: Int { captions.count }

    /// The SVG document: animated, or one still frame when `still` is given.
    func svg(still: Int? = nil) -> String {
        let base = still ?? 0
        let duration = Self.number(frameSeconds * Double(frameCount))
        func animation(_ attribute: String, type: String? = nil, values: [String]) -> String {
            guard still == nil, values.count > 1 else { return "" }
            let kind =
                type.map { "animateTransform attributeName=\"transform\" type=\"\($0)\"" }
                ?? "animate attributeName=\"\(attribute)\""
            return
                "<\(kind) values=\"\(values.joined(separator: ";"))\" dur=\"\(duration)s\" calcMode=\"discrete\" fill=\"freeze\"/>"
        }
        var text = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" height="\(Self.number(height))" \
            viewBox="0 0 \(Self.number(width)) \(Self.number(height))">
            \(background)

            """
        for part in parts {
            let pose = part.poses[base]
            let opacity = part.shown.map { $0[base] ? "1" : "0" } ?? "1"
            text +=
                "<g opacity=\"\(opacity)\">" + animation("opacity", values: part.shown?.map { $0 ? "1" : "0" } ?? [])
            text += "<g transform=\"translate(\(Self.number(pose.x)) \(Self.number(pose.y)))\">"
            text += animation(
                "transform", type: "translate", values: part.poses.map { "\(Self.number($0.x)) \(Self.number($0.y))" })
            text += "<g transform=\"rotate(\(Self.number(pose.degrees)))\">"
            text += animation("transform", type: "rotate", values: part.poses.map { Self.number($0.degrees) })
            text += part.drawing + "</g></g></g>\n"
        }
        let frames = still.map { [$0] } ?? Array(0..<frameCount)
        for frame in frames {
            let begin = Self.number(frameSeconds * Double(frame))
            let timing: String
            if still != nil {
                timing = ""
            } else if frame == 0 {
                timing =
                    frameCount > 1
                    ? "<set attributeName=\"visibility\" to=\"hidden\" begin=\"\(Self.number(frameSeconds))s\" fill=\"freeze\"/>"
                    : ""
            } else if frame == frameCount - 1 {
                timing = "<set attributeName=\"visibility\" to=\"visible\" begin=\"\(begin)s\" fill=\"freeze\"/>"
            } else {
                timing =
                    "<set attributeName=\"visibility\" to=\"visible\" begin=\"\(begin)s\" dur=\"\(Self.number(frameSeconds))s\"/>"
            }
            let visibility = frame == base ? "visible" : "hidden"
            text +=
                "<text x=\"12\" y=\"24\" font-family=\"monospace\" font-size=\"16\" fill=\"#d22\" visibility=\"\(visibility)\">"
                + Self.escaped(captions[frame]) + timing + "</text>\n"
        }
        return text + "</svg>\n"
    }

    /// A compact decimal (at most 3 decimals).
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
