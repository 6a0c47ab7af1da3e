import Foundation

/// A read-only loop device with autoclear set (`LO_FLAGS_AUTOCLEAR`), configured directly with
/// `LOOP_CONFIGURE`: the kernel detaches it when its last user (the mount, or this process's
/// descriptor) goes away, so a killed process leaves no loop device behind.
public final class LoopDevice {
    static let loopCtlGetFree: UInt = 0x4C82
    static let loopConfigure: UInt = 0x4C0A
    static let readOnly: UInt32 = 1
    static let autoclear: UInt32 = 4
    /// `struct loop_config`: fd, block_size, `struct loop_info64` (232 bytes), 8 reserved u64.
    static let configSize = 304
    static let flagsOffset = 8 + 52
    static let fileNameOffset = 8 + 56

    /// `/dev/loopN`.
    public let path: String
    private var fd: Int32

    /// Attaches `file` read-only with autoclear.
    public init(file: String) throws {
        let backing = open(file, O_RDONLY | O_CLOEXEC)
        guard backing >= 0 else { throw RecordError("cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(backing) }
        let control = open("/dev/loop-control", O_RDWR | O_CLOEXEC)
        guard control >= 0 else { throw RecordError("cannot open /dev/loop-control: \(String(cString: strerror(errno)))") }
        defer { close(control) }
        for _ in 0..<8 {
            let number = ioctl(control, Self.loopCtlGetFree)
            guard number >= 0 else { throw RecordError("no free loop device: \(String(cString: strerror(errno)))") }
            let candidate = "/dev/loop\(number)"
            let device = open(candidate, O_RDONLY | O_CLOEXEC)
            guard device >= 0 else { continue }
            var config = [UInt8](repeating: 0, count: Self.configSize)
            config.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: UInt32(backing), toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: Self.readOnly | Self.autoclear, toByteOffset: Self.flagsOffset, as: UInt32.self)
                for (i, byte) in file.utf8.prefix(63).enumerated() { raw[Self.fileNameOffset + i] = byte }
            }
            let result = config.withUnsafeMutableBytes { ioctl(device, Self.loopConfigure, $0.baseAddress!) }
            if result == 0 {
                path = candidate
                fd = device
                return
            }
            let code = errno
            close(device)
            if code != EBUSY { throw RecordError("LOOP_CONFIGURE failed for \(file): \(String(cString: strerror(code)))") }
        }
        throw RecordError("no free loop device for \(file) (all busy)")
    }

    /// Drops this process's hold: once mounted, the mount keeps the device; unmounted, the
    /// kernel detaches it (autoclear). Safe to call twice.
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
