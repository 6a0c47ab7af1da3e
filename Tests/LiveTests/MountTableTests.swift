@testable import Live
import XCTest

/// mountinfo parsing on lines as this kernel prints them (escapes, optional fields, overlay).
final class MountTableTests: XCTestCase {
    func testParsesErofsAndOverlayLines() {
        let text = """
        36 25 0:33 / /tmp/erofs-top-live/mnt\\040a ro,relatime shared:17 - erofs /tmp/img\\040dir/base.erofs ro,user_xattr,acl,cache_strategy=readaround,domain_id=d1,inode_share
        37 25 7:3 / /mnt/loop rw,relatime - erofs /dev/loop3 ro,device=/dev/loop4,device=/blobs/b.erofs
        38 25 0:40 / /run/c1/rootfs rw,relatime - overlay overlay rw,lowerdir=/mnt/top:/mnt/loop,upperdir=/u,workdir=/w
        bogus line
        """
        let entries = MountTable.parse(text)
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(entries[0].mountPoint, "/tmp/erofs-top-live/mnt a")
        XCTAssertEqual(entries[0].source, "/tmp/img dir/base.erofs")
        XCTAssertEqual(entries[0].device, "0:33")
        XCTAssertEqual(entries[0].option("domain_id"), "d1")
        XCTAssertTrue(entries[0].hasFlag("inode_share"))
        XCTAssertEqual(entries[1].options("device"), ["/dev/loop4", "/blobs/b.erofs"])
        XCTAssertEqual(entries[2].fsType, "overlay")
        XCTAssertEqual(LiveInventory.splitLowerDirs(entries[2].option("lowerdir")!), ["/mnt/top", "/mnt/loop"])
        XCTAssertEqual(LiveInventory.splitLowerDirs("/a\\:b:/c::/d"), ["/a:b", "/c", "/d"])
    }

    func testReadsThisHostsTable() throws {
        let entries = try MountTable.read()
        XCTAssertTrue(entries.contains { $0.mountPoint == "/" }, "the root mount is in /proc/thread-self/mountinfo")
    }
}
