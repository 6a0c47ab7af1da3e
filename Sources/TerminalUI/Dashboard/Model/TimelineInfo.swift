/// The replay's time axis, as the timeline bar draws it: how long the trace is,
/// where the replay stands and where the interesting moments are.
public struct TimelineInfo: Equatable, Sendable {
    /// A moment worth marking on the axis.
    public struct Marker: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// A container's first event.
            case containerStart
            /// The first event of one trace file (when a workload merges several).
            case traceSource
            /// Anything else the source wants to point at.
            case note
        }

        /// Seconds from the start of the workload.
        public var time: Double
        /// Index of the first event at or after the marker.
        public var event: Int
        /// E.g. the container name, the trace file name or the note text.
        public var label: String
        public var kind: Kind

        public init(time: Double, event: Int, label: String, kind: Kind) {
            self.time = time
            self.event = event
            self.label = label
            self.kind = kind
        }
    }

    /// Seconds of trace time (the last event's time).
    public var duration: Double
    /// Time of the last event applied (0 before the first).
    public var clock: Double
    /// Events applied so far.
    public var eventsDone: Int
    /// Events in the whole workload.
    public var eventsTotal: Int
    /// Markers in time order.
    public var markers: [Marker]

    public init(duration: Double, clock: Double, eventsDone: Int, eventsTotal: Int, markers: [Marker] = []) {
        self.duration = duration
        self.clock = clock
        self.eventsDone = eventsDone
        self.eventsTotal = eventsTotal
        self.markers = markers
    }

    /// How far the replay got, 0...1 by events (0 for an empty workload).
    public var progress: Double {
        eventsTotal > 0 ? min(1, max(0, Double(eventsDone) / Double(eventsTotal))) : 0
    }
}

extension DashboardDataSource {
    /// By default a source has no timeline (the live view).
    public var timeline: TimelineInfo? { nil }
}
