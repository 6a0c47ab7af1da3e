import JSONOutput
import Foundation

/// One value of an exported row.
public enum ExportValue: Sendable, Equatable {
    case string(String)
    case int(UInt64)
    case bool(Bool)
    case null
}

/// The file formats a table is written in.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// JSON Lines: one object per row, every column present (`null` when there is no value).
    case jsonl
    /// CSV (RFC 4180) with a header line; a null is an empty field, an empty string is `""`.
    case csv
}

/// Writes the rows of one table of one image to a file per format. Files are written under a
/// temporary name and renamed into place by `finish()`, so a reader never sees half a table.
final class TableWriter {
    let columns: [ExportSchema.Column]
    private var outputs: [(format: ExportFormat, final: String, temporary: String, handle: FileHandle, buffer: [UInt8])] = []
    private(set) var rows = 0
    private let names: [[UInt8]]

    init(table: ExportSchema.Table, folder: String, baseName: String, formats: [ExportFormat]) throws {
        columns = table.columns
        names = columns.map { Array(JSONString.quoted($0.name).utf8) }
        let directory = folder + "/" + table.rawValue
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for format in formats {
            let final = "\(directory)/\(baseName).\(format.rawValue)"
            let temporary = "\(directory)/.\(baseName).\(format.rawValue).\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw ExportError("cannot write \(temporary)")
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            if format == .csv {
                buffer.append(contentsOf: columns.map(\.name).joined(separator: ",").utf8)
                buffer.append(10)
            }
            outputs.append((format, final, temporary, handle, buffer))
        }
    }

    /// Appends one row (values in column order).
    func append(_ values: [ExportValue]) throws {
        precondition(values.count == columns.count, "a row of \(values.count) values for \(columns.count) columns")
        rows += 1
        for i in outputs.indices {
            switch outputs[i].format {
            case .jsonl: appendJSON(values, to: &outputs[i].buffer)
            case .csv: appendCSV(values, to: &outputs[i].buffer)
            }
            if outputs[i].buffer.count >= 1 << 20 { try flush(i) }
        }
    }

    /// Writes what is left and moves the files into place.
    func finish() throws {
        for i in outputs.indices {
            try flush(i)
            try outputs[i].handle.close()
            if FileManager.default.fileExists(atPath: outputs[i].final) { try FileManager.default.removeItem(atPath: outputs[i].final) }
            try FileManager.default.moveItem(atPath: outputs[i].temporary, toPath: outputs[i].final)
        }
        outputs.removeAll()
    }

    /// Removes the temporary files (after an error).
    func abandon() {
        for output in outputs {
            try? output.handle.close()
            try? FileManager.default.removeItem(atPath: output.temporary)
        }
        outputs.removeAll()
    }

    private func flush(_ i: Int) throws {
        guard !outputs[i].buffer.isEmpty else { return }
        try outputs[i].handle.write(contentsOf: outputs[i].buffer)
        outputs[i].buffer.removeAll(keepingCapacity: true)
    }

    private func appendJSON(_ values: [ExportValue], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: names[i])
            out.append(UInt8(ascii: ":"))
            switch value {
            case .string(let s): JSONString.append(s, to: &out)
            case .int(let n): appendDecimal(n, to: &out)
            case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
            case .null: out.append(contentsOf: Array("null".utf8))
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(10)
    }

    private func appendCSV(_ values: [ExportValue], to out: inout [UInt8]) {
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch value {
            case .string(let s): CSVText.appendField(s, to: &out)
            case .int(let n): appendDecimal(n, to: &out)
            case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
            case .null: break
            }
        }
        out.append(10)
    }

    private func appendDecimal(_ n: UInt64, to out: inout [UInt8]) {
        if n < 10 { out.append(UInt8(ascii: "0") + UInt8(n)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { raw in
            while v > 0 { raw[count] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(raw[k]) }
        }
    }
}

/// CSV field quoting (RFC 4180): a field with a comma, quote, CR, LF or surrounding space, or an
/// empty string (to tell it from null), is quoted with inner quotes doubled.
enum CSVText {
    static func appendField(_ s: String, to out: inout [UInt8]) {
        let bytes = s.utf8
        let needsQuotes = bytes.isEmpty || bytes.first == 32 || bytes.last == 32 ||
            bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { out.append(contentsOf: bytes); return }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// An export that could not be written.
public struct ExportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
