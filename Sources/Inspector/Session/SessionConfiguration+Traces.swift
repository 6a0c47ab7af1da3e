import Foundation

/// A recorded workload as asked for (`--trace [CONTAINER=]FILE`), before it is bound to containers.
public struct TraceRequest: Equatable, Sendable {
    /// The container it names, if any.
    public var container: String?
    public var path: String
    public init(container: String? = nil, path: String) { self.container = container; self.path = path }
}

/// A configuration that names something that does not exist (a container, a device).
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension SessionConfiguration {
    /// Throws unless `name` (when given) is one of the containers; `option` names the setting
    /// in the message.
    public func checkContainer(_ name: String?, option: String) throws {
        let names = resolvedContainers().map(\.name)
        if let name, !names.contains(name) {
            throw ConfigurationError("\(option): no container '\(name)' (containers: \(names.joined(separator: ", ")))")
        }
    }

    /// Adds traces, bound to containers by these rules:
    /// - a trace that names its container goes to that container;
    /// - when none names one, N traces for N containers (N > 1) pair up in order;
    /// - one trace for several containers runs in each of them in turn (the seed's experiment),
    ///   unless devices bind its page-level events (`devices`, a raw capture of several mounts)
    ///   or it names several containers itself (then it is bound by its own names);
    /// - otherwise a trace's unnamed events go to the first container.
    ///
    /// `roots`: the mount point traced paths start with, per container name (nil key: every
    /// container without its own). `devices`: "major:minor" → container for page-level events.
    public mutating func addTraces(_ requests: [TraceRequest], roots: [String?: String] = [:], format: TraceFileFormat? = nil,
                                   strict: Bool = false, devices: [String: String] = [:]) throws {
        for (name, _) in roots { try checkContainer(name, option: "--root") }
        for (_, container) in devices { try checkContainer(container, option: "--trace-dev") }
        let resolved = resolvedContainers()
        let anyNamed = requests.contains { $0.container != nil }
        for (i, request) in requests.enumerated() {
            try checkContainer(request.container, option: "--trace")
            var container = request.container
            if !anyNamed && requests.count == resolved.count && resolved.count > 1 { container = resolved[i].name }
            let inTurn = !anyNamed && requests.count == 1 && resolved.count > 1 && devices.isEmpty
            var input = TraceInput(url: URL(fileURLWithPath: request.path), container: container,
                                   root: roots[container] ?? roots[nil], format: format, strict: strict, eachContainerInTurn: inTurn)
            input.devices = devices
            traces.append(input)
        }
    }
}

/// How a trace file is written (nil in `TraceInput`: detected from its first lines).
public enum TraceFileFormat: String, Sendable, CaseIterable {
    /// erofs-top JSON Lines (Sources/Workload/NATIVE-FORMAT.md).
    case native
    /// `strace -f -tt` output.
    case strace
    /// ftrace text with `filemap:` events.
    case ftrace
}
