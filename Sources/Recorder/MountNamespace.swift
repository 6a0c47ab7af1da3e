import Foundation

@_silgen_name("unshare") private func sysUnshare(_ flags: Int32) -> Int32
@_silgen_name("setns") private func sysSetns(_ fd: Int32, _ nstype: Int32) -> Int32
@_silgen_name("mount") private func sysMount(_ source: UnsafePointer<CChar>, _ target: UnsafePointer<CChar>, _ type: UnsafePointer<CChar>?, _ flags: UInt, _ data: UnsafeRawPointer?) -> Int32

/// A private mount namespace for the calling thread, so that mounts made in it vanish with the
/// process whatever ends it (SIGKILL included): the kernel tears a namespace down when its last
/// task exits, unmounting everything in it.
///
/// `unshare(CLONE_NEWNS)` moves only the calling thread (and the processes it starts later, which
/// is how the command `record` runs sees the mounts); propagation is made private (`MS_REC |
/// MS_PRIVATE`) so that nothing mounted here appears in the host's namespace. `leave()` puts the
/// thread back into the namespace it came from (the private one then dies with its mounts).
public final class PrivateMountNamespace {
    static let cloneNewNS: Int32 = 0x0002_0000
    static let msRec: UInt = 16384
    static let msPrivate: UInt = 1 << 18

    private var original: Int32

    /// Enters a new private mount namespace. Throws when the kernel refuses (not root).
    public init() throws {
        original = open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else { throw RecordError("cannot open /proc/thread-self/ns/mnt: \(String(cString: strerror(errno)))") }
        guard sysUnshare(Self.cloneNewNS) == 0 else {
            let reason = String(cString: strerror(errno))
            close(original)
            throw RecordError("cannot make a private mount namespace (unshare: \(reason)); recording needs root")
        }
        guard sysMount("none", "/", nil, Self.msRec | Self.msPrivate, nil) == 0 else {
            let reason = String(cString: strerror(errno))
            leave()
            throw RecordError("cannot make mount propagation private (\(reason))")
        }
    }

    /// Returns the thread to its original namespace. Safe to call twice.
    public func leave() {
        guard original >= 0 else { return }
        _ = sysSetns(original, Self.cloneNewNS)
        close(original)
        original = -1
    }

    deinit { leave() }
}
