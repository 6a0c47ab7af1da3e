import EROFS
import XCTest
@testable import Inspector

/// The dashboard's figures, computed by Inspector's view model.
final class SessionViewModelTests: XCTestCase {
    func testBlobsPanelEqualsTheReportsPerBlobFigures() throws {
        let session = try Session(SampleSessions.seedConfiguration())
        try session.runToEnd()
        let report = session.report()
        let model = SessionViewModel(session: session)
        for design in session.designs {
            model.design = design
            let usage = try XCTUnwrap(report.policies.first { $0.design == design })
            XCTAssertFalse(usage.blobCachedBytes.isEmpty, "\(design): the report has per-blob figures")
            for blob in model.blobs {
                XCTAssertEqual(blob.cachedBytes, usage.blobCachedBytes[blob.name] ?? 0, "\(design) \(blob.tag)")
                if design == .blob {
                    XCTAssertLessThanOrEqual(blob.cachedBytes, (blob.sizeBytes + 4095) / 4096 * 4096, "\(blob.tag): more cached than it holds")
                }
            }
            if design == .none || design == .blob {
                // Each cached page belongs to one blob (under inode and chunk, a page of identical
                // content serves files of several blobs).
                XCTAssertLessThanOrEqual(model.blobs.map(\.cachedBytes).reduce(0, +), usage.residentBytes, "\(design)")
            }
        }
        // Under blob, the base layer's blob is one set of pages for the three images: cached
        // once, it must not show three images' worth.
        model.design = .blob
        let shared = try XCTUnwrap(model.blobs.first { $0.images.count == 3 }, "the base blob backs all three images")
        XCTAssertEqual(shared.containers, 3)
        var perImage: UInt64 = 0
        for snapshot in session.residencySnapshot(design: .blob) { perImage += (snapshot.residentPagesByBlob[shared.name] ?? 0) * 4096 }
        XCTAssertGreaterThan(shared.cachedBytes, 0)
        XCTAssertLessThan(shared.cachedBytes, perImage, "the shared blob's pages were counted once per image")
        // The JSON carries the same figures.
        let json = report.json.serialized()
        XCTAssertTrue(json.contains("\"blob\":\"\(shared.name)\",\"cached_bytes\":\(try XCTUnwrap(report.policies.first { $0.design == .blob }).blobCachedBytes[shared.name]!)"), json)
    }

    func testDirectoryRowsCountSharedFilesBelowAndCachedFractions() throws {
        let session = try Session(SampleSessions.seedConfiguration())
        try session.runToEnd()
        let model = SessionViewModel(session: session, design: SharingDesign.none)
        let catalog = session.catalogs[1]
        // Shared files below each directory, counted from paths.
        let sharedPaths = session.sharing.sharedWithOtherImages[1].keys.compactMap { catalog.index(ofNID: $0).map { catalog.entries[$0].path } }
        XCTAssertFalse(sharedPaths.isEmpty)
        let rows = model.children(image: 1, of: 0)
        XCTAssertEqual(rows.map(\.entry).sorted(), catalog.entries[0].children.sorted())
        var anyCached = false
        for row in rows {
            let path = catalog.entries[row.entry].path
            if row.isDirectory {
                XCTAssertEqual(row.sharedWith, sharedPaths.filter { $0.hasPrefix(path + "/") }.count, path)
                XCTAssertEqual(row.sizeBytes, catalog.entries[row.entry].subtreeSize)
            }
            XCTAssert((0...1).contains(row.cachedFraction), path)
            let pages = session.residencySnapshot(design: .none)[1].residentPages[row.entry] ?? 0
            let total = catalog.entries[row.entry].subtreePages
            XCTAssertEqual(row.cachedFraction, total == 0 ? 0 : min(1, Double(pages) / Double(total)), accuracy: 1e-12, path)
            anyCached = anyCached || row.cachedFraction > 0
        }
        XCTAssertTrue(anyCached, "the startup trace caches something under the root")
        XCTAssertNil(model.ancestors(image: 1, of: catalog.entries.count))
        let deep = try XCTUnwrap(catalog.entries.indices.last { catalog.entries[$0].path.split(separator: "/").count >= 3 })
        let chain = try XCTUnwrap(model.ancestors(image: 1, of: deep))
        XCTAssertEqual(chain.first, 0)
        XCTAssertEqual(chain.last, catalog.entries[deep].parent)
    }

    func testFileDetailShowsEachContainersPagesAndWhoSharesThem() throws {
        let session = try Session(SampleSessions.seedConfiguration())
        try session.runToEnd()
        let model = SessionViewModel(session: session, design: .inode)
        // A file of v1 with the same content in v2, cached in both containers.
        var found = false
        for (nid, _) in session.sharing.sharedWithOtherImages[1] {
            let catalog = session.catalogs[1]
            guard let entry = catalog.index(ofNID: nid), let detail = model.fileDetail(image: 1, entry: entry),
                  detail.pages.contains(where: { !$0.sharedWith.isEmpty }) else { continue }
            found = true
            XCTAssertEqual(detail.pages.count, Int((catalog.entries[entry].size + 4095) / 4096))
            XCTAssertEqual(detail.containerPages.count, session.containers.count)
            XCTAssertEqual(detail.containerPages[1], detail.pages, "v1's file as v1 sees it")
            XCTAssertEqual(detail.containerPages[0], [], "base does not see v1's files")
            for page in detail.pages where !page.sharedWith.isEmpty {
                XCTAssertNotNil(page.cachedBy, "only a cached page is shared with other files")
                XCTAssertTrue(page.sharedWith.allSatisfy { !$0.hasPrefix(catalog.label + ":" + catalog.entries[entry].path) })
            }
            break
        }
        XCTAssertTrue(found, "some file of v1 shares cached pages with another image under inode")
        // Under none nothing is shared between files.
        model.design = .none
        for (nid, _) in session.sharing.sharedWithOtherImages[1].prefix(20) {
            guard let entry = session.catalogs[1].index(ofNID: nid), let detail = model.fileDetail(image: 1, entry: entry) else { continue }
            XCTAssertTrue(detail.pages.allSatisfy { $0.sharedWith.isEmpty })
        }
        XCTAssertNil(model.fileDetail(image: 1, entry: 0), "a directory has no file detail")
    }

    func testTimelineMarksContainerAndSourceStarts() throws {
        let session = try Session(SampleSessions.seedConfiguration())
        let model = SessionViewModel(session: session)
        let starts = model.timeline.markers.filter { $0.kind == .containerStart }
        XCTAssertEqual(starts.map(\.label).sorted(), ["base", "v1", "v2"])
        for marker in starts {
            let c = try XCTUnwrap(session.containers.firstIndex { $0.name == marker.label })
            XCTAssertEqual(marker.event, session.steps.firstIndex { $0.container == c })
            XCTAssertEqual(marker.time, session.steps[marker.event].time)
        }
        let sources = model.timeline.markers.filter { $0.kind == .traceSource }
        XCTAssertEqual(sources.map(\.label).sorted(), ["startup-base.ftrace", "startup-v1.ftrace", "startup-v2.ftrace"])
        XCTAssertEqual(model.timeline.eventsTotal, session.steps.count)
        XCTAssertEqual(model.timeline.duration, session.duration)
        try session.run(steps: 10)
        XCTAssertEqual(model.timeline.eventsDone, 10)
    }

    func testHeaderAndComparisonFollowTheReport() throws {
        let session = try Session(SampleSessions.seedConfiguration())
        try session.runToEnd()
        let model = SessionViewModel(session: session)
        let report = session.report(sharing: false)
        for design in session.designs {
            model.design = design
            let usage = try XCTUnwrap(report.policies.first { $0.design == design })
            XCTAssertEqual(model.figures.residentBytes, usage.residentBytes)
            XCTAssertEqual(model.figures.savedBytes, UInt64(max(0, report.savedBytes(usage))))
            XCTAssertTrue(model.figures.isFinished)
        }
        XCTAssertEqual(model.comparison.map(\.design), session.designs)
        XCTAssertEqual(model.comparison.map { $0.addedBytes.reduce(0, +) }, report.policies.map(\.chargedBytes))
        XCTAssertEqual(model.hitRates.count, session.designs.count * session.containers.count)
    }
}
