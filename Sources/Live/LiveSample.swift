import Foundation
import Inspector

/// One interval of `live --batch`: per mount its residency and the interval's hits and misses,
/// per design the page cache the model charges to each container.
public struct LiveSample {
    public var time: Double
    public var json: [String: Any]

    /// Takes a sample: rescans residency and closes the counting interval.
    public static func take(_ monitor: LiveMonitor) -> LiveSample {
        monitor.rescan()
        let interval = monitor.closeInterval()
        let mounts: [[String: Any]] = monitor.inventory.mounts.enumerated().map { i, m in
            let scan = monitor.scans[i]
            var row: [String: Any] = [
                "mount_point": m.mountPoint, "source": m.source, "image": m.imagePath, "devices": m.devicePaths,
                "devices_from": m.devicesFrom, "device": m.device,
                "container": monitor.session.containers[monitor.containerOfMount[i]].name,
                "state": scan.reachable ? "mounted" : "gone",
                "resident_bytes": scan.residentBytes, "measured_files": scan.measuredFiles, "unmeasured_files": scan.unmeasuredFiles,
            ]
            if monitor.stream != nil {
                row["hits"] = interval[i].hits
                row["misses"] = interval[i].misses
                row["accesses"] = interval[i].accesses
                row["metadata_misses"] = interval[i].metadataMisses
                row["hits_total"] = monitor.counters[i].totalHits
                row["misses_total"] = monitor.counters[i].totalMisses
                row["events"] = monitor.counters[i].events
            } else {
                row["hits"] = NSNull()
                row["misses"] = NSNull()
            }
            if let d = m.domainID { row["domain_id"] = d }
            if m.inodeShare { row["inode_share"] = true }
            if !m.otherMountPoints.isEmpty { row["other_mount_points"] = m.otherMountPoints }
            return row
        }
        var json: [String: Any] = [
            "time": (monitor.elapsed * 1000).rounded() / 1000, "residency": monitor.residencyMethod,
            "events": monitor.eventCount, "lost_events": monitor.stream?.lostEvents ?? 0, "dropped_bytes": monitor.stream?.droppedBytes ?? 0, "seeded_bytes": monitor.seededPages * 4096, "new_mounts": monitor.newMounts, "mounts": mounts, "notes": monitor.notes,
            "stacks": monitor.inventory.stacks.map { s in ["mount_point": s.mountPoint, "layers": s.layers.map { monitor.inventory.mounts[$0].mountPoint }] as [String: Any] },
        ]
        if monitor.stream != nil {
            let report = monitor.session.report(sharing: false)
            json["designs"] = report.policies.map { p -> [String: Any] in
                ["design": p.design.rawValue, "charged_bytes": p.chargedBytes, "resident_bytes": p.residentBytes,
                 "hits": p.hits, "misses": p.misses,
                 "containers": p.containers.map { ["name": $0.container, "charged_bytes": $0.chargedBytes] as [String: Any] }]
            }
        } else {
            json["designs"] = NSNull()
        }
        return LiveSample(time: monitor.elapsed, json: json)
    }

    /// One JSON line (keys sorted).
    public var jsonLine: String {
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
