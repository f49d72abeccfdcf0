import HPDTensor

/// When federation happens in a run, and how one event is laid out — the single place every trainer (in process,
/// the gRPC server and the gRPC client) asks "is an event due?".
///
/// With interval d and E episodes, event e (1-based) follows episode e·d (1-based), for e = 1 … ⌊E/d⌋. One FedHPD
/// event is `loops` passes over `partCount` parts, i.e. `loops · partCount` steps ("rounds" on the network); step
/// (e, loop ℓ, part p), all 1-based, has the 0-based sequence number ((e − 1)·loops + (ℓ − 1))·partCount + (p − 1).
public struct DistillationSchedule: Sendable, Equatable {
    /// Episodes per agent, E.
    public let episodes: Int
    /// The distillation interval d: an event follows every d-th episode.
    public let interval: Int
    /// Passes over the public parts per event.
    public let loops: Int
    /// Contiguous parts of the public state set (1 for DPA-FedRL's single server state).
    public let partCount: Int

    /// A schedule of `episodes` episodes with an event after every `interval`-th one (`interval`, `loops` and
    /// `partCount` at least 1).
    public init(episodes: Int, interval: Int, loops: Int = 1, partCount: Int = 1) {
        Precondition.check(
            interval >= 1 && loops >= 1 && partCount >= 1,
            "DistillationSchedule: interval \(interval), loops \(loops) and parts \(partCount) must all be at least 1")
        self.episodes = episodes
        self.interval = interval
        self.loops = loops
        self.partCount = partCount
    }

    /// The schedule `configuration` describes, with `partCount` parts per loop.
    public init(_ configuration: FederationConfiguration, partCount: Int = 1) {
        self.init(
            episodes: configuration.episodes, interval: configuration.interval, loops: configuration.loops,
            partCount: partCount)
    }

    /// Steps per event: loops × parts.
    public var stepsPerEvent: Int { loops * partCount }
    /// Events in the whole run: ⌊E/d⌋.
    public var eventCount: Int { episodes / interval }
    /// Steps in the whole run.
    public var stepCount: Int { eventCount * stepsPerEvent }

    /// Whether an event follows `episode` (1-based): episode mod d = 0, within the run.
    public func isEventDue(afterEpisode episode: Int) -> Bool {
        episode >= 1 && episode <= episodes && episode % interval == 0
    }

    /// The 1-based number of the event following `episode` (1-based), or nil when none is due.
    public func event(afterEpisode episode: Int) -> Int? {
        isEventDue(afterEpisode: episode) ? episode / interval : nil
    }

    /// The 0-based sequence number of step (event episode, loop, part), all 1-based; nil when it is not in the
    /// schedule.
    public func sequence(episode: Int, loop: Int, part: Int) -> Int? {
        guard let event = event(afterEpisode: episode), (1...loops).contains(loop), (1...partCount).contains(part)
        else { return nil }
        return ((event - 1) * loops + (loop - 1)) * partCount + (part - 1)
    }

    /// The (event episode, loop, part), all 1-based, of step `sequence` (0-based); the inverse of `sequence`.
    public func position(ofSequence sequence: Int) -> DistillationPosition {
        let event = sequence / stepsPerEvent
        let withinEvent = sequence % stepsPerEvent
        return DistillationPosition(
            episode: (event + 1) * interval, loop: withinEvent / partCount + 1, part: withinEvent % partCount + 1)
    }

    /// Every step of the event following `episode`, in the order they run (loop-major); empty when none is due.
    public func positions(afterEpisode episode: Int) -> [DistillationPosition] {
        guard isEventDue(afterEpisode: episode) else { return [] }
        return Self.eventSteps(episode: episode, loops: loops, partCount: partCount)
    }

    /// The steps of one event after `episode`: loop 1 part 1, …, loop 1 part `partCount`, loop 2 part 1, ….
    public static func eventSteps(episode: Int, loops: Int, partCount: Int) -> [DistillationPosition] {
        (1...max(1, loops)).flatMap { loop in
            (1...max(1, partCount)).map { DistillationPosition(episode: episode, loop: loop, part: $0) }
        }
    }

    /// Whether `sequence` (0-based) is the last step of its event.
    public func isLastStepOfEvent(_ sequence: Int) -> Bool { sequence % stepsPerEvent == stepsPerEvent - 1 }
}

/// One step of a distillation event: the episode it follows, its loop and its part (all 1-based).
public struct DistillationPosition: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The episode the event follows.
    public var episode: Int
    /// The pass over the parts.
    public var loop: Int
    /// The part of the public state set.
    public var part: Int

    public init(episode: Int, loop: Int, part: Int) {
        self.episode = episode
        self.loop = loop
        self.part = part
    }

    /// `episode E loop L part P`.
    public var description: String { "episode \(episode) loop \(loop) part \(part)" }
}
