/// Things worth telling the user about a session's inputs.
public enum SessionNotes {
    public static func notes(for session: Session) -> [String] {
        var out: [String] = []
        for (i, count) in session.sharing.unusableStoredFingerprints.enumerated() where count > 0 {
            out.append("\(session.catalogs[i].label): \(count) files carry empty or zeroed fingerprint xattrs (mkfs.erofs rebuild mode writes them so); the kernel's inode_share shares nothing for them. Try --fingerprints compute.")
        }
        if session.sharing.fingerprintSource == .stored,
           session.sharing.fingerprints.allSatisfy(\.isEmpty) {
            out.append("no image carries content fingerprints (mkfs.erofs --xattr-inode-digest), so the inode design shares nothing; --fingerprints compute shows what it would share.")
        }
        for catalog in session.catalogs {
            for (device, kind, reason) in catalog.image.unavailableDevices {
                out.append("\(catalog.label): device \(device.id) is \(kind == .blobMissing ? "missing" : "mismatched") (\(reason)); metadata only: listing, stat and the model work, reading its files' data does not.")
            }
        }
        if session.planner.filesWithUnavailableData > 0 {
            out.append("chunk: \(session.planner.filesWithUnavailableData) files have their data on an unavailable device and keep their own pages (contents unknown).")
        }
        if !session.unreadableFiles.isEmpty {
            out.append("\(session.unreadableFiles.count) files could not be read and were left out, e.g. \(session.unreadableFiles.first!.value)")
        }
        return out
    }
}
