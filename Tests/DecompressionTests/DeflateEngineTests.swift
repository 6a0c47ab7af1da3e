import Decompression
import XCTest

/// DEFLATE decodes whole pclusters with libdeflate and prefixes (and refused streams) with zlib:
/// both must give the same bytes and the same errors, and pooled library contexts must not leak
/// state from one call (or thread) into the next.
final class DeflateEngineTests: XCTestCase {
    private let libdeflate = DeflateDecompressor()
    private let zlibOnly = DeflateDecompressor(usesLibdeflate: false)

    private func streams() -> [(name: String, data: [UInt8], stream: [UInt8])] {
        var cases: [(String, [UInt8], [UInt8])] = []
        for (size, seed) in [(1, 1), (4096, 2), (10_000, 3), (65_536, 4), (300_000, 5)] as [(Int, UInt64)] {
            for level: Int32 in [1, 6, 9] {
                let text = Samples.text(size, seed: seed)
                cases.append(("text \(size) level \(level)", text, Enc.deflateRaw(text, level: level)))
            }
            var random = Samples.random(size, seed: seed)
            cases.append(("random \(size)", random, Enc.deflateRaw(random, level: 6)))
            random.replaceSubrange(0..<(size / 2), with: Samples.text(size / 2, seed: seed))
            cases.append(("half text, half random \(size)", random, Enc.deflateRaw(random, level: 9)))
        }
        // A stream whose first byte is zero (a non-final stored block) cannot follow EROFS zero
        // padding; mkfs.erofs never writes one.
        return cases.filter { $0.2.first != 0 }
    }

    func testLibdeflateAndZlibDecodeTheSameBytes() throws {
        for (name, data, stream) in streams() {
            let padded = Samples.padded(stream)
            XCTAssertEqual(try libdeflate.decompress(padded, outputSize: data.count), data, name)
            XCTAssertEqual(try zlibOnly.decompress(padded, outputSize: data.count), data, name)
            // A prefix goes through zlib in both.
            let half = max(1, data.count / 2)
            XCTAssertEqual(try libdeflate.decompress(padded, outputSize: half, partial: true), Array(data.prefix(half)), name)
        }
    }

    func testLibdeflateAndZlibReportTheSameErrors() throws {
        for (name, data, stream) in streams() where data.count >= 4096 {
            let padded = Samples.padded(stream)
            for (what, input, size) in [("buffer too small", padded, data.count - 1), ("buffer too large", padded, data.count + 1),
                                        ("truncated", Array(stream.prefix(stream.count / 2)), data.count)] {
                func error(_ d: DeflateDecompressor) -> String {
                    do { _ = try d.decompress(input, outputSize: size); return "no error" } catch { return "\(error)" }
                }
                XCTAssertNotEqual(error(zlibOnly), "no error", "\(name), \(what)")
                XCTAssertEqual(error(libdeflate), error(zlibOnly), "\(name), \(what)")
            }
        }
    }

    func testPooledContextsGiveTheSameResultsOnManyThreads() throws {
        let cases = streams()
        let zstdCases = cases.map { (data: $0.data, stream: Enc.zstd($0.data)) }
        let lzmaCases = cases.map { (data: $0.data, stream: Samples.padded(Enc.microLZMA($0.data))) }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<4 {
                for (i, c) in cases.enumerated() {
                    // Interleave good and bad input so a context reused after a failure is exercised.
                    if (i + round + thread) % 3 == 0 {
                        _ = try? self.libdeflate.decompress(Array(c.stream.prefix(c.stream.count / 2)), outputSize: c.data.count)
                        _ = try? ZstdDecompressor().decompress(Array(zstdCases[i].stream.prefix(zstdCases[i].stream.count / 2)), outputSize: c.data.count)
                        _ = try? MicroLZMADecompressor().decompress(Array(lzmaCases[i].stream.dropLast()), outputSize: c.data.count)
                    }
                    if (try? self.libdeflate.decompress(Samples.padded(c.stream), outputSize: c.data.count)) != c.data { failures.add("deflate \(c.name)") }
                    if (try? ZstdDecompressor().decompress(zstdCases[i].stream, outputSize: c.data.count)) != c.data { failures.add("zstd \(c.name)") }
                    if (try? MicroLZMADecompressor().decompress(lzmaCases[i].stream, outputSize: c.data.count)) != c.data { failures.add("lzma \(c.name)") }
                }
            }
        }
        XCTAssertEqual(failures.list, [])
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var list: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
