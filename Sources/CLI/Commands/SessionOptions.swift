import ArgumentParser
import EROFS
import Foundation
import Inspector

/// Options shared by `report`, `replay` and the UI: images, containers, workloads and the model.
struct SessionOptions: ParsableArguments {
    @Argument(help: "Images: PATH[,device=BLOB]... (each is a container unless --container is given).")
    var images: [String] = []

    @Option(name: .customLong("blob-dir"), help: "Folder searched for extra devices by tag (default: each image's folder).")
    var blobDirectory: String?

    @Option(name: .customLong("container"), help: ArgumentHelp("A container NAME=IMAGE (IMAGE: 1-based position or file name); repeatable. The same image may back several containers.", valueName: "name=image"))
    var containers: [String] = []

    @Option(name: .customLong("oci"), help: ArgumentHelp("An OCI image layout as a container, [NAME=]DIR[:REF] (REF: the manifest's ref name); each layer is converted once per digest with mkfs.erofs --tar=f --aufs (or --oci-mode i) into --oci-cache; repeatable.", valueName: "[name=]dir[:ref]"))
    var ociLayouts: [String] = []

    @Option(name: .customLong("oci-mode"), help: "How OCI layers are converted: f (--tar=f, full images; default) or i (--tar=i, index images over the layer tars).")
    var ociMode: LayerConverter.Mode = .full

    @Option(name: .customLong("oci-cache"), help: "Folder of converted OCI layers, keyed by layer digest (default: $XDG_CACHE_HOME/erofs-top/oci).")
    var ociCache: String?

    @Option(name: .customLong("mkfs"), help: "The mkfs.erofs command that converts OCI layers (needs --tar=, erofs-utils 1.6+; default: $EROFS_TOP_MKFS, then mkfs.erofs in PATH).")
    var mkfs: String?

    @Option(name: .customLong("trace"), help: ArgumentHelp("A recorded workload [CONTAINER=]FILE (native JSON Lines, strace -f -tt, or ftrace text); repeatable, merged by time.", valueName: "[container=]file"))
    var traces: [String] = []

    @Option(name: .customLong("root"), help: ArgumentHelp("Mount point the traced paths start with, [CONTAINER=]PREFIX (default: found by matching the image's tree).", valueName: "[container=]prefix"))
    var roots: [String] = []

    @Option(name: .customLong("trace-dev"), help: ArgumentHelp("Bind the raw ftrace events of device MAJ:MIN to CONTAINER (repeatable); events of other devices are ignored.", valueName: "container=maj:min"))
    var traceDevices: [String] = []

    @Option(name: .customLong("format"), help: "Trace format (default: detected): native, strace or ftrace.")
    var format: TraceFileFormat?

    @Flag(name: .customLong("strict"), help: "Fail on the first malformed trace line instead of skipping it.")
    var strict = false

    @Option(name: .customLong("workload"), help: ArgumentHelp("A built-in workload NAME[:CONTAINER] (read-all); repeatable. Default when no --trace is given: read-all for each container in turn.", valueName: "name[:container]"))
    var workloads: [String] = []

    @Option(name: .customLong("fingerprints"), help: "Fingerprints for the inode policy: stored (the image's xattrs) or compute (SHA-256 of contents, as mkfs.erofs --xattr-inode-digest).")
    var fingerprints: FingerprintSource = .stored

    @Option(name: .customLong("readahead-kb"), help: "Readahead window (read_ahead_kb; loop devices here default to 2560).")
    var readaheadKB: Int = 128

    @Option(name: .customLong("fault-around-kb"), help: "Fault-around window (fault_around_bytes / 1024).")
    var faultAroundKB: Int = 64

    @Option(name: .customLong("cache-mb"), help: "Bound the page cache to this many MiB (LRU eviction). Default: unbounded.")
    var cacheMB: Int?

    @Option(name: .customLong("domain"), help: ArgumentHelp("Share domain [CONTAINER=]ID (domain_id=): images in different domains share nothing. Default: one domain.", valueName: "[container=]id"))
    var domains: [String] = []

    @Flag(name: .customLong("per-file"), help: "Count the pages each file added per container (report lists them).")
    var perFile = false

    @Flag(name: .customLong("page-events"), help: "Replay the trace's page-level add/delete events as the cache contents (exact for policy none) instead of modelling readahead from accesses.")
    var pageEvents = false

    /// The session to open: the given images, or the bundled sample scenario without any.
    @Option(name: .customLong("mmap-touch"), help: "Pages of a mapped non-ELF file touched when the trace shows no faults for it: none, first (default) or all.")
    var mmapTouch: MmapTouch = .first

    @Option(name: .customLong("mmap-faults"), help: "Faults the trace does not show (strace): estimate (default: ELF loader pages, --mmap-touch for data), low (none) or high (every mapped page).")
    var mmapFaults: MmapFaultEstimate = .estimate

    static func resolve(_ options: SessionOptions) throws -> SessionConfiguration {
        guard options.images.isEmpty && options.containers.isEmpty && options.ociLayouts.isEmpty else { return try options.configuration() }
        guard var sample = SampleScenario.configuration() else {
            throw ValidationError("give images (the bundled samples are not available)")
        }
        // The merged samples carry zeroed fingerprints, so the scenario computes them unless told otherwise.
        if options.fingerprints != .stored { sample.fingerprints = options.fingerprints }
        try options.applyModelOptions(&sample)
        return sample
    }

    /// Splits `A=B` into (A, B); without `=`, (nil, text).
    static func split(_ text: String) -> (String?, String) {
        guard let eq = text.firstIndex(of: "=") else { return (nil, text) }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    func configuration(defaultImages: [String] = []) throws -> SessionConfiguration {
        let imageArgs = images.isEmpty ? defaultImages : images
        guard !imageArgs.isEmpty || !containers.isEmpty || !ociLayouts.isEmpty else { throw ValidationError("give at least one image") }
        // Each distinct layer image is opened once (one mount, one page cache); an argument
        // LOWER+...+UPPER is a layer stack. Metadata-only images open: a missing or mismatched
        // blob only fails reads of its data.
        var specs: [ImageSpec] = []
        func intern(_ spec: ImageSpec) -> Int {
            var spec = spec
            spec.allowMissingDevices = true
            if let i = specs.firstIndex(where: { URL(fileURLWithPath: $0.path).standardizedFileURL == URL(fileURLWithPath: spec.path).standardizedFileURL && $0.devices == spec.devices }) { return i }
            specs.append(spec)
            return specs.count - 1
        }
        var labels: [Int: String] = [:]
        var positional: [[Int]] = []
        for text in imageArgs { positional.append(try ImageSpec.parseStack(text, blobDirectory: blobDirectory).map(intern)) }
        func fileNames() -> [String] { specs.map { URL(fileURLWithPath: $0.path).lastPathComponent } }
        var declared: [SessionContainer] = []
        for text in containers {
            let (name, image) = Self.split(text)
            guard let name, !name.isEmpty else { throw ValidationError("--container wants NAME=IMAGE, got '\(text)'") }
            var layers: [Int] = []
            for part in image.split(separator: "+", omittingEmptySubsequences: false).map(String.init) {
                let names = fileNames()
                if let n = Int(part), n >= 1, n <= positional.count { layers += positional[n - 1]; continue }
                if let i = names.firstIndex(of: part) ?? names.firstIndex(of: part + ".erofs") ?? imageArgs.firstIndex(of: part).map({ positional[$0].last! }) {
                    layers.append(i)
                    continue
                }
                // Not among the images given: a path of its own.
                let spec = try ImageSpec(parsing: part, blobDirectory: blobDirectory)
                guard FileManager.default.fileExists(atPath: spec.path) else {
                    throw ValidationError("--container \(text): no image '\(part)' among \(names.joined(separator: ", ")), and no such file")
                }
                layers.append(intern(spec))
            }
            declared.append(layers.count == 1 ? SessionContainer(name: name, image: layers[0]) : SessionContainer(name: name, layers: layers))
        }
        for text in ociLayouts {
            let (name, argument) = Self.split(text)
            let layout = try OCILayout(argument: argument)
            let converter = LayerConverter(mkfs: try TarMkfs.find(mkfs), cache: ociCache ?? LayerConverter.defaultCache, mode: ociMode)
            var layers: [Int] = []
            for (i, layer) in layout.layers.enumerated() {
                var converted = false
                let index = intern(try converter.convert(layer, converted: &converted))
                labels[index] = "sha256:" + layer.hex.prefix(12)
                layers.append(index)
                if converted {
                    FileHandle.standardError.write(Data("erofs-top: converted layer \(i + 1) of \(layout.layers.count) (\(layer.digest)) with --tar=\(ociMode.rawValue)\n".utf8))
                }
            }
            let label = name ?? layout.reference ?? URL(fileURLWithPath: layout.directory).lastPathComponent
            declared.append(layers.count == 1 ? SessionContainer(name: label, image: layers[0]) : SessionContainer(name: label, layers: layers))
        }
        var config = SessionConfiguration(images: specs)
        config.imageLabels = labels
        config.containers = declared
        if !declared.isEmpty && !positional.isEmpty && containers.isEmpty {
            // Images given next to --oci layouts are containers too.
            config.containers = positional.map { layers in
                let name = URL(fileURLWithPath: specs[layers.last!].path).deletingPathExtension().lastPathComponent
                return layers.count == 1 ? SessionContainer(name: name, image: layers[0]) : SessionContainer(name: name, layers: layers)
            } + declared
        } else if declared.isEmpty && positional.contains(where: { $0.count > 1 }) {
            // Stacks given as arguments: one container per argument, named after its top layer.
            var used: [String: Int] = [:]
            config.containers = positional.map { layers in
                var name = URL(fileURLWithPath: specs[layers.last!].path).deletingPathExtension().lastPathComponent
                used[name, default: 0] += 1
                if used[name]! > 1 { name += "#\(used[name]!)" }
                return layers.count == 1 ? SessionContainer(name: name, image: layers[0]) : SessionContainer(name: name, layers: layers)
            }
        }
        func checkContainer(_ name: String?, _ option: String) throws {
            do { try config.checkContainer(name, option: option) } catch let error as ConfigurationError { throw ValidationError(error.message) }
        }
        var rootFor: [String?: String] = [:]
        for text in roots {
            let (container, prefix) = Self.split(text)
            try checkContainer(container, "--root")
            rootFor[container] = prefix
        }
        let traceFormat = format
        var deviceMap: [String: String] = [:]
        for text in traceDevices {
            let (container, device) = Self.split(text)
            guard let container else { throw ValidationError("--trace-dev: expected CONTAINER=MAJ:MIN, got '\(text)'") }
            try checkContainer(container, "--trace-dev")
            let parts = device.split(separator: ":")
            guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else {
                throw ValidationError("--trace-dev: '\(device)' is not MAJ:MIN (decimal, as ftrace prints dev)")
            }
            deviceMap["\(major):\(minor)"] = container
        }
        do {
            try config.addTraces(traces.map { let (c, path) = Self.split($0); return TraceRequest(container: c, path: path) },
                                 roots: rootFor, format: traceFormat, strict: strict, devices: deviceMap)
        } catch let error as ConfigurationError { throw ValidationError(error.message) }
        for text in workloads {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let w = BuiltinWorkload(rawValue: parts.first ?? "") else {
                throw ValidationError("--workload: unknown '\(text)' (built-in: \(BuiltinWorkload.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let container = parts.count > 1 ? parts[1] : nil
            try checkContainer(container, "--workload")
            config.builtinWorkloads.append((w, container))
        }
        if config.traces.isEmpty && config.builtinWorkloads.isEmpty { config.builtinWorkloads = [(.readAll, nil)] }
        config.fingerprints = fingerprints
        try applyModelOptions(&config)
        return config
    }

    /// Copies the model options (readahead, fault-around, capacity, page events, per-file, domains).
    func applyModelOptions(_ config: inout SessionConfiguration) throws {
        guard readaheadKB >= 0, readaheadKB <= 1 << 20 else { throw ValidationError("--readahead-kb must be 0…1048576") }
        guard faultAroundKB >= 4, faultAroundKB <= 1 << 16 else { throw ValidationError("--fault-around-kb must be 4…65536") }
        if let cacheMB, cacheMB < 1 || cacheMB > 1 << 24 { throw ValidationError("--cache-mb must be 1…16777216") }
        config.readaheadKB = readaheadKB
        config.faultAroundKB = faultAroundKB
        config.cacheMB = cacheMB
        config.replayPageEvents = pageEvents
        config.mmapTouch = mmapTouch
        config.mmapFaults = mmapFaults
        config.perFile = perFile
        try applyDomains(&config)
    }

    func applyDomains(_ config: inout SessionConfiguration) throws {
        let resolved = config.resolvedContainers()
        for text in domains {
            let (container, id) = Self.split(text)
            if let container {
                guard let c = resolved.first(where: { $0.name == container }) else {
                    throw ValidationError("--domain: no container '\(container)'")
                }
                config.imageDomains[c.image] = id
            } else {
                for i in config.images.indices where config.imageDomains[i] == nil { config.imageDomains[i] = id }
            }
        }
    }
}
