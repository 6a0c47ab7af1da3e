import Foundation
import XCTest
@testable import Workload

final class NativeParserTests: XCTestCase {
    let sample = """
    {"erofs_top_trace": 1, "readahead_kb": 128, "containers": ["web", "db"], "devices": {"254:0": "web"}, "cache": "cold", "future": {"x": [1, 2]}}
    # a comment

    {"t":0.5,"c":"web","ev":"open","path":"/usr/lib/libc.so.6","fd":3,"unknown_field":[1,{"a":null}]}
    {"t":0.6,"c":"web","ev":"read","fd":3,"len":832}
    {"t":0.7,"c":"web","ev":"read","fd":3,"off":4096,"len":100}
    {"ev":"pread","fd":3,"off":64,"len":784}
    {"ev":"mmap","fd":3,"len":1974096,"addr":140737488355328}
    {"ev":"mmap","fd":3,"off":8192,"len":4096}
    {"ev":"fault","nid":42,"dev":"254:0","page":7}
    {"ev":"fault","fd":3,"off":12288}
    {"ev":"map","path":"/a","page":0,"last":15}
    {"ev":"get","nid":9,"off":4096,"len":8193}
    {"ev":"close","fd":3,"pid":77}
    {"ev":"add","nid":42,"dev":"254:0","page":7,"n":4}
    {"ev":"delete","path":"/x","off":8192}
    {"ev":"readdir","nid":36}
    {"ev":"note","text":"phase \\"two\\" \\u00e9\\ud83d\\ude00"}
    """

    func testParsesEveryEventKind() {
        let t = parse(sample)
        XCTAssertEqual(t.format, .native)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/usr/lib/libc.so.6"), handle: 3),
            .read(handle: 3, offset: nil, length: 832),
            .read(handle: 3, offset: 4096, length: 100),
            .pread(handle: 3, offset: 64, length: 784),
            .mmap(handle: 3, offset: 0, length: 1974096, address: 140737488355328),
            .mmap(handle: 3, offset: 8192, length: 4096, address: nil),
            .fault(.file(.nid(42), device: "254:0"), page: 7),
            .fault(.handle(3), page: 3),
            .mapPages(.file(.path("/a"), device: nil), first: 0, last: 15),
            .getPages(.file(.nid(9), device: nil), first: 1, last: 3),
            .close(handle: 3),
            .pageAdd(file: .nid(42), device: "254:0", page: 7, count: 4),
            .pageDelete(file: .path("/x"), device: nil, page: 2, count: 1),
            .dirRead(.nid(36)),
            .note("phase \"two\" é😀"),
        ])
        XCTAssertEqual(t.events[0].time, 0.5)
        XCTAssertEqual(t.events[0].container, "web")
        XCTAssertEqual(t.events[0].line, 4)
        XCTAssertNil(t.events[3].container)
        XCTAssertEqual(t.events[10].pid, 77)
        XCTAssertEqual(t.summary.events, 15)
        XCTAssertEqual(t.summary.eventsByKind[.read], 2)
        XCTAssertEqual(t.summary.eventsByKind[.mmap], 2)
        XCTAssertEqual(t.summary.ignoredLines, 3) // header, comment, blank
        XCTAssertEqual(t.summary.lines, 18)
    }

    func testHeaderMetadata() {
        let m = parse(sample).metadata
        XCTAssertEqual(m.version, 1)
        XCTAssertEqual(m.readaheadKB, 128)
        XCTAssertEqual(m.containers, ["web", "db"])
        XCTAssertEqual(m.devices, ["254:0": "web"])
        XCTAssertEqual(m.cache, .cold)
        XCTAssertEqual(m.extra["future"], "{\"x\":[1,2]}")
        XCTAssertEqual(parse("{\"erofs_top_trace\":1,\"cache\":\"warm\"}").metadata.cache, .warm)
    }

    func testHeaderIsOptional() {
        let t = parse("{\"ev\":\"close\",\"fd\":1}")
        XCTAssertEqual(t.kinds, [.close(handle: 1)])
        XCTAssertNil(t.metadata.version)
    }

    func testNewerVersionWarns() {
        let t = parse("{\"erofs_top_trace\":2}\n{\"ev\":\"close\",\"fd\":1}")
        XCTAssertEqual(t.errors, [])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertEqual(t.events.count, 1)
    }

    func testLateHeaderIsError() {
        assertMalformed("{\"ev\":\"close\",\"fd\":1}\n{\"erofs_top_trace\":1}", .native, line: 2, contains: "first line")
    }

    func testBadHeaderTypes() {
        assertMalformed("{\"erofs_top_trace\":1,\"containers\":\"web\"}", .native, line: 1, contains: "containers")
        assertMalformed("{\"erofs_top_trace\":1,\"devices\":{\"1:2\":3}}", .native, line: 1, contains: "devices")
    }

    func testUndeclaredContainerWarns() {
        let t = parse("{\"erofs_top_trace\":1,\"containers\":[\"a\"]}\n{\"c\":\"b\",\"ev\":\"close\",\"fd\":1}")
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertEqual(t.warnings.first?.line, 2)
        XCTAssertEqual(t.events.count, 1)
    }

    func testUnknownEventIsDiagnostic() {
        assertMalformed("{\"ev\":\"close\",\"fd\":1}\n{\"ev\":\"teleport\",\"fd\":1}\n{\"ev\":\"close\",\"fd\":2}", .native, line: 2, contains: "unknown event type \"teleport\"")
        XCTAssertEqual(parse("{\"ev\":\"close\",\"fd\":1}\n{\"ev\":\"teleport\"}\n{\"ev\":\"close\",\"fd\":2}").events.count, 2)
    }

    func testMalformedLines() {
        let ok = "{\"ev\":\"close\",\"fd\":1}\n"
        assertMalformed(ok + "garbage here", .native, line: 2, contains: "not a JSON object")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":8", .native, line: 2, contains: "truncated")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":\"8\"}", .native, line: 2, contains: "non-negative integer")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":8} trailing", .native, line: 2, contains: "trailing")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3}", .native, line: 2, contains: "len")
        assertMalformed(ok + "{\"fd\":3}", .native, line: 2, contains: "missing field ev")
        assertMalformed(ok + "{\"ev\":\"open\",\"fd\":3}", .native, line: 2, contains: "path or nid")
        assertMalformed(ok + "{\"ev\":\"open\",\"fd\":3,\"path\":\"/a\",\"nid\":4}", .native, line: 2, contains: "both")
        assertMalformed(ok + "{\"ev\":\"map\",\"nid\":1,\"page\":5,\"last\":4}", .native, line: 2, contains: "last < page")
        assertMalformed(ok + "{\"ev\":\"add\",\"nid\":1,\"page\":5,\"n\":0}", .native, line: 2, contains: ">= 1")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":1.5}", .native, line: 2, contains: "integer")
        assertMalformed(ok + "{\"ev\":\"note\",\"text\":\"bad \\q escape\"}", .native, line: 2, contains: "escape")
        assertMalformed(ok + "{\"ev\":\"note\",\"text\":\"tab\there\"}", .native, line: 2, contains: "control character")
        assertMalformed(ok + "{\"t\":-1,\"ev\":\"close\",\"fd\":1}", .native, line: 2, contains: "t must be")
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        assertMalformed(ok + "{\"x\":\(deep),\"ev\":\"close\",\"fd\":1}", .native, line: 2, contains: "deeply")
    }

    func testAbsurdNumbers() {
        let ok = "{\"ev\":\"close\",\"fd\":1}\n"
        assertMalformed(ok + "{\"ev\":\"pread\",\"fd\":3,\"off\":-4096,\"len\":8}", .native, line: 2, contains: "negative")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":99999999999999999999999}", .native, line: 2, contains: "out of range")
        assertMalformed(ok + "{\"ev\":\"read\",\"fd\":3,\"len\":9223372036854775808}", .native, line: 2, contains: "2^63")
        assertMalformed(ok + "{\"ev\":\"pread\",\"fd\":3,\"off\":9223372036854775000,\"len\":4096}", .native, line: 2, contains: "offset + length")
        assertMalformed(ok + "{\"ev\":\"fault\",\"nid\":3,\"page\":9223372036854775807}", .native, line: 2, contains: "out of range")
        assertMalformed(ok + "{\"ev\":\"close\",\"fd\":-1}", .native, line: 2, contains: "negative")
    }

    func testHugeLengthIsClampedWithWarning() {
        let t = parse("{\"ev\":\"read\",\"fd\":3,\"len\":4611686018427387904}") // 2^62
        XCTAssertEqual(t.errors, [])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertEqual(t.kinds, [.read(handle: 3, offset: nil, length: TraceLimits.maxLength)])
        XCTAssertNoThrow(try parseTrace(text: "{\"ev\":\"read\",\"fd\":3,\"len\":4611686018427387904}", strict: true))
    }

    func testNullFieldsCountAsAbsent() {
        let t = parse("{\"ev\":\"read\",\"fd\":3,\"off\":null,\"len\":5,\"c\":null}")
        XCTAssertEqual(t.kinds, [.read(handle: 3, offset: nil, length: 5)])
        XCTAssertNil(t.events[0].container)
    }

    func testRoundTripThroughWriter() {
        let original = parse(sample)
        var m = original.metadata
        m.extra = [:]
        let text = ([m.nativeHeader] + original.events.map(\.nativeJSON)).joined(separator: "\n")
        let again = parse(text)
        XCTAssertEqual(again.diagnostics, [])
        XCTAssertEqual(again.kinds, original.kinds)
        XCTAssertEqual(again.events.map(\.time), original.events.map(\.time))
        XCTAssertEqual(again.events.map(\.container), original.events.map(\.container))
        XCTAssertEqual(again.metadata.containers, m.containers)
        XCTAssertEqual(again.metadata.devices, m.devices)
        XCTAssertEqual(again.metadata.readaheadKB, 128)
    }

    func testLineAtATimeAPI() {
        var p = NativeParser()
        let r1 = p.parse(line: "{\"erofs_top_trace\":1,\"readahead_kb\":64}", number: 1)
        XCTAssertEqual(r1.events.count, 0)
        let r2 = p.parse(line: "{\"ev\":\"open\",\"nid\":5,\"fd\":1}", number: 2)
        XCTAssertEqual(r2.events.map(\.kind), [.open(file: .nid(5), handle: 1)])
        let r3 = p.parse(line: "nonsense", number: 3)
        XCTAssertEqual(r3.diagnostics.map(\.line), [3])
        XCTAssertEqual(p.metadata.readaheadKB, 64)
    }
}
