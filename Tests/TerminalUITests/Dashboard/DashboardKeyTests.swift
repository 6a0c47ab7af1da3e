import XCTest
@testable import TerminalUI

final class DashboardKeyTests: XCTestCase {
    func testTabCyclesFocusBothWays() {
        let h = DashboardHarness()
        var seen: [DashboardPanel] = []
        for _ in 0..<5 {
            h.press(.tab)
            seen.append(h.screen.focus)
        }
        XCTAssertEqual(seen, [.shared, .blobs, .inodeMap, .hitRates, .files])
        h.press(.backTab)
        XCTAssertEqual(h.screen.focus, .hitRates)
    }

    func testEnterInSharedJumpsToTheSharerInFiles() {
        let h = DashboardHarness()
        h.press(.tab)                       // Shared, sorted by size: libtensorflow first
        h.press(.down)                      // the 5 MiB libpython row
        h.press(.right)                     // its second sharer: tensorflow-v1.erofs
        XCTAssertEqual(h.screen.selectedSharedRow?.sizeBytes, 5 << 20)
        h.press(.enter)
        XCTAssertEqual(h.screen.focus, .files)
        XCTAssertEqual(h.screen.filesLocation, "tensorflow-v1.erofs:/usr/lib")
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libpython3.11.so.1.0")
        XCTAssertEqual(h.screen.inspectedFile?.image, 1)
        XCTAssertEqual(h.screen.inspectedFile?.file, 11)
        XCTAssertTrue(h.text.contains("Inode map: /usr/lib/libpython3.11.so.1.0"))
        // Backspace goes up, leaving lib selected.
        h.press(.backspace)
        XCTAssertEqual(h.screen.filesLocation, "tensorflow-v1.erofs:/usr")
        XCTAssertEqual(h.screen.selectedFileRow?.name, "lib")
        h.press(.left, .left)
        XCTAssertEqual(h.screen.filesLocation, "Images")
        XCTAssertEqual(h.screen.selectedFileRow?.name, "tensorflow-v1.erofs")
    }

    func testPCyclesPolicy() {
        let h = DashboardHarness()
        h.press(.char("p"))
        XCTAssertEqual(h.source.actions, [.setPolicy("inode")])
        h.press(.char("p"), .char("p"))
        XCTAssertEqual(h.source.actions.last, .setPolicy("none"))
        XCTAssertTrue(h.text.contains(" none "))
    }

    func testSpaceTogglesPauseAndActionsReachTheSource() {
        let h = DashboardHarness()
        XCTAssertTrue(h.text.contains("RUN "))
        h.press(.char(" "))
        XCTAssertEqual(h.source.actions, [.togglePause])
        XCTAssertTrue(h.text.contains("PAUSED"))
        h.press(.char(" "), .char("."), .char("+"), .char("-"), .char("c"))
        XCTAssertEqual(h.source.actions, [.togglePause, .togglePause, .step, .faster, .slower, .dropCaches])
    }

    func testReadSelectedFile() {
        let h = DashboardHarness()
        h.press(.char("r"))
        XCTAssertTrue(h.text.contains("select a file to read"))
        XCTAssertTrue(h.source.actions.isEmpty)
        h.press(.end, .enter, .enter, .enter) // tensorflow-base.erofs:/usr/lib: libtensorflow selected
        h.press(.char("r"))
        XCTAssertEqual(h.source.actions, [.read(image: 0, file: 10)])
    }

    func testTooSmallMessageUntilTheTerminalGrows() {
        let h = DashboardHarness(rows: 23, cols: 79)
        XCTAssertTrue(h.text.contains("Terminal too small: need 80x24, have 79x23"))
        XCTAssertFalse(h.text.contains("Files"))
        h.terminal.enqueueResize(rows: 24, cols: 80)
        h.step()
        XCTAssertFalse(h.text.contains("too small"))
        XCTAssertTrue(h.text.contains("Files: Images"))
    }

    func testResizeRelaysOut() {
        let h = DashboardHarness(rows: 24, cols: 80)
        let before = h.screen.layout
        h.terminal.enqueueResize(rows: 50, cols: 160)
        h.step()
        XCTAssertNotEqual(h.screen.layout, before)
        XCTAssertEqual(h.screen.layout.status.row, 49)
        XCTAssertEqual(h.screen.layout.rect(.inodeMap).maxCol, 160)
        XCTAssertEqual(h.text.components(separatedBy: "\n").count, 50)
        XCTAssertTrue(h.text.components(separatedBy: "\n")[49].hasPrefix("F1Help"))
    }

    func testNothingIsRedrawnWhileTheGenerationIsUnchanged() {
        let h = DashboardHarness()
        let draws = h.app.drawCount
        let refreshes = h.screen.refreshCount
        let ticks = h.source.ticks.count
        h.idle(20)
        XCTAssertEqual(h.app.drawCount, draws, "idle ticks with the same generation draw nothing")
        XCTAssertEqual(h.screen.refreshCount, refreshes, "nor fetch anything")
        XCTAssertEqual(h.source.ticks.count - ticks, 20, "but the replay is ticked every iteration")
        h.source.bump()
        h.idle()
        XCTAssertEqual(h.app.drawCount, draws + 1)
        XCTAssertTrue(h.text.contains("1334/5000"))
        h.idle(5)
        XCTAssertEqual(h.app.drawCount, draws + 1)
    }

    func testSearchSelectsTheFirstMatchAndEscRestores() {
        let h = DashboardHarness()
        h.press(.enter, .enter, .enter)      // usr/lib
        h.press(.char("/"))
        h.type("libz")
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libz.so.1")
        XCTAssertTrue(h.text.contains("/libz"))
        h.press(.escape)
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libtensorflow.so.2")
        h.press(.char("/"))
        h.type("python")
        h.press(.enter)
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libpython3.11.so.1.0")
    }

    func testSortKeys() {
        let h = DashboardHarness()
        h.press(.enter, .enter, .enter)      // usr/lib, by size: libtensorflow, libpython, libz
        h.press(.char("s"))                  // smallest first
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libtensorflow.so.2", "the selection follows its row")
        h.press(.home)
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libz.so.1")
        h.press(.char("<"))                  // name, A→Z
        h.press(.home)
        XCTAssertEqual(h.screen.selectedFileRow?.name, "libpython3.11.so.1.0")
    }

    func testClickFocusesAndSelects() {
        let h = DashboardHarness()
        let blobs = h.screen.layout.rect(.blobs)
        h.press(.mouse(MouseEvent(.click, row: blobs.row + 3, col: blobs.col + 5)))
        XCTAssertEqual(h.screen.focus, .blobs)
        XCTAssertTrue(h.text.contains("sha256:3f2a9c0d1e"))
    }

    func testQuitKeys() throws {
        for key in [Key.char("q"), .f10] {
            let h = DashboardHarness()
            h.terminal.enqueue(key)
            XCTAssertFalse(try h.app.step())
            XCTAssertTrue(h.app.hasQuit)
        }
    }

    func testUnknownTerminalMessagePointsAtTextCommands() {
        let message = Dashboard.message(for: .unsupportedTerminal("nosuchterm"))
        XCTAssertTrue(message.contains("unknown terminal type 'nosuchterm'"))
        XCTAssertTrue(message.contains("erofs-top report"))
        XCTAssertTrue(message.contains("replay --batch"))
        XCTAssertThrowsError(try CursesTerminal(options: .init(termName: "nosuchterm-xyz", requireTTY: false)))
    }
}

final class DashboardViewTests: XCTestCase {
    func testAllPoliciesToggleAndEsc() {
        let h = DashboardHarness()
        h.press(.char("a"))
        XCTAssertTrue(h.screen.showsAllPolicies)
        XCTAssertTrue(h.text.contains("All policies"))
        h.press(.escape)
        XCTAssertFalse(h.screen.showsAllPolicies)
        h.press(.char("a"), .char("a"))
        XCTAssertFalse(h.screen.showsAllPolicies)
        XCTAssertTrue(h.text.contains("Files: Images"))
    }

    func testHelpClosesOnAnyKeyWithoutActing() {
        let h = DashboardHarness()
        h.press(.f1)
        XCTAssertTrue(h.text.contains("erofs-top keys"))
        h.press(.char("p"))
        XCTAssertFalse(h.screen.showsHelp)
        XCTAssertTrue(h.source.actions.isEmpty, "the key that closes help does nothing else")
    }

    func testClickSelectsARowAndWheelScrolls() {
        let h = DashboardHarness()
        let files = h.screen.layout.rect(.files)
        h.press(.mouse(MouseEvent(.click, row: files.row + 4, col: files.col + 10)))  // third data row
        XCTAssertEqual(h.screen.selectedFileRow?.name, "tensorflow-base.erofs")
        h.press(.mouse(MouseEvent(.wheelUp, row: files.row + 4, col: files.col + 10)))
        XCTAssertEqual(h.screen.selectedFileRow?.name, "tensorflow-v1.erofs")
    }

    func testRunReturnsOnQuitAndRestoresTheTerminal() throws {
        let source = FakeDashboardSource()
        let terminal = GridTerminal(rows: 30, cols: 100)
        terminal.enqueue(.tab, .char("q"))
        let exit = try Dashboard.run(dataSource: source, terminal: terminal, options: .init(ascii: true))
        XCTAssertEqual(exit, .quit)
        XCTAssertEqual(terminal.restoreCount, 1)
        XCTAssertTrue(terminal.text().contains("+ Files: Images"), "ASCII frames with --ascii")
    }

    func testFormatting() {
        XCTAssertEqual(DashboardFormat.bytes(512), "512 B")
        XCTAssertEqual(DashboardFormat.bytes(7 << 20), "7.0 MiB")
        XCTAssertEqual(DashboardFormat.bytes(1536), "1.5 KiB")
        XCTAssertEqual(DashboardFormat.percent(0.001), "1%")
        XCTAssertEqual(DashboardFormat.percent(0.999), "99%")
        XCTAssertEqual(DashboardFormat.percent(1), "100%")
        XCTAssertEqual(DashboardFormat.percent(.nan), "-")
        XCTAssertEqual(DashboardFormat.seconds(125), "2m05s")
        XCTAssertEqual(DashboardFormat.speed(0.5), "x0.5")
        XCTAssertEqual(DashboardFormat.speed(4), "x4")
        XCTAssertEqual(DashboardFormat.bar(0.5, width: 4, glyphs: .ascii), "##  ")
    }
}

final class DashboardMessageTests: XCTestCase {
    func testActionMessageLastsUntilTheNextKey() {
        let h = DashboardHarness()
        h.press(.char("c"))
        XCTAssertTrue(h.text.contains("page cache dropped"))
        h.press(.char("x"))                  // not bound: only clears the message
        XCTAssertFalse(h.text.contains("page cache dropped"))
    }
}
