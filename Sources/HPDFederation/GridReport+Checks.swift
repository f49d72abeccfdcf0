import HPDRL

/// The claims, checked on what exists (a claim whose cells are pending says so):
///
/// 1. every FedHPD cell (whole and last-100) within 10 % of the authors' value or better: ours ≥ 0.9 · authors;
/// 2. FedHPD d=5 beats NoFed on at least 4 of 5 paired seeds (scaled: ≥ 80 % of the pairs);
/// 3. smaller d is better: the whole-run means of the FedHPD intervals run decrease with d;
/// 4. DPA-FedRL lies between NoFed and FedHPD d=5 (whole run).
///
/// A verdict on a task whose grid is not complete yet reads “so far”.
extension GridReport {
    /// One line per claim, starting with “holds”, “MISS” (either followed by “so far” while the task's grid is
    /// incomplete) or “pending”.
    func checks(for task: PaperGrid.Task) -> [String] {
        let partial = index.missing.contains { $0.task == task } ? " so far" : ""
        func verdict(_ holds: Bool) -> String { (holds ? "holds" : "MISS") + partial }
        var lines: [String] = []
        let fedhpd = settings(of: task).filter { $0.method == .fedhpd }
        var within: [String] = []
        var misses: [String] = []
        for setting in fedhpd {
            guard let facts = PaperFacts.cell(environment: task.environmentID, setting: setting.label) else { continue }
            let entries = index.runs(task: task, setting: setting)
            guard !entries.isEmpty else { continue }
            let (whole, last) = Self.systemMeans(entries)
            for (name, ours, authors) in [
                ("whole", LearningCurve.mean(whole), facts.wholeRunMean),
                ("last-100", LearningCurve.mean(last), facts.last100Mean),
            ] {
                let text =
                    "\(setting.label) \(name) \(Self.number(ours)) vs \(Self.number(authors)) (\(Self.relative(ours, to: authors)))"
                if ours >= 0.9 * authors { within.append(text) } else { misses.append(text) }
            }
        }
        if within.isEmpty && misses.isEmpty {
            lines.append(
                "pending — FedHPD within 10 % of the authors or better: no FedHPD cell with a published figure is complete"
            )
        } else if misses.isEmpty {
            lines.append(
                verdict(true)
                    + " — every complete FedHPD cell is within 10 % of the authors' figure or better (\(within.count) values)"
            )
        } else {
            lines.append(
                verdict(false) + " — FedHPD cells below 90 % of the authors' figure: " + misses.joined(separator: "; "))
        }

        let five = index.runs(task: task, setting: PaperGrid.Setting(method: .fedhpd, interval: 5))
        let differences = pairedDifferences(five, task: task)
        if differences.isEmpty {
            lines.append("pending — FedHPD d=5 > NoFed on paired seeds: no paired seeds yet")
        } else {
            let wins = differences.filter { $0 > 0 }.count
            lines.append(
                verdict(Double(wins) >= 0.8 * Double(differences.count))
                    + " — FedHPD d=5 beats NoFed on \(wins)/\(differences.count) paired seeds (needed: ≥ 4 of 5)")
        }

        do {
            let measured = fedhpd.compactMap { setting -> (Int, Double)? in
                let entries = index.runs(task: task, setting: setting)
                return entries.isEmpty ? nil : (setting.interval, LearningCurve.mean(Self.systemMeans(entries).whole))
            }
            if measured.count < 2 {
                lines.append("pending — smaller d better: fewer than two FedHPD intervals complete")
            } else {
                let order = measured.map { "d=\($0.0) \(Self.number($0.1))" }.joined(separator: " > ")
                let decreasing = zip(measured, measured.dropFirst()).allSatisfy { $0.1 > $1.1 }
                let partial = measured.count < fedhpd.count ? " (intervals with runs only)" : ""
                lines.append(verdict(decreasing) + " — smaller d better, whole run\(partial): \(order)")
            }
        }

        let dpa = index.runs(task: task, setting: PaperGrid.Setting(method: .dpa, interval: 1))
        let nofed = index.runs(task: task, setting: PaperGrid.Setting(method: .nofed, interval: 1))
        if settings(of: task).contains(where: { $0.method == .dpa }) {
            if dpa.isEmpty || nofed.isEmpty || five.isEmpty {
                lines.append("pending — DPA-FedRL between NoFed and FedHPD d=5: runs missing")
            } else {
                let values = [nofed, dpa, five].map { LearningCurve.mean(Self.systemMeans($0).whole) }
                let between = values[0] < values[1] && values[1] < values[2]
                lines.append(
                    verdict(between)
                        + " — DPA-FedRL between NoFed and FedHPD d=5 (whole run): NoFed \(Self.number(values[0])), "
                        + "DPA-FedRL \(Self.number(values[1])), FedHPD d=5 \(Self.number(values[2]))")
            }
        }
        return lines
    }
}
