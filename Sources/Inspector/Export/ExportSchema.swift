import JSONOutput
/// The tables `erofs-top export` writes, with stable column names and types
/// (docs/export-schema.md describes each column; a test checks the two agree).
public enum ExportSchema {
    /// Written in every row as `schema_version`. Bumped when a column is renamed, removed or
    /// changes meaning; adding a column at the end keeps the version.
    public static let version = 1

    /// The page size pages are counted in (the page cache's, on x86-64 and arm64 by default).
    public static let pageSize = 4096

    /// A column's type as engines read it.
    public enum ColumnType: String, Sendable {
        /// Text (UTF-8).
        case string
        /// A 64-bit integer (values below 2^63).
        case bigint
        /// An unsigned 64-bit integer: nids (a metabox inode's has the top bit set). DuckDB
        /// UBIGINT, Spark DECIMAL(20,0).
        case ubigint
        case boolean
    }

    /// One column: name, type, and whether it may be null (empty in CSV).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: ColumnType
        public var nullable: Bool
        init(_ name: String, _ type: ColumnType, nullable: Bool = false) {
            self.name = name; self.type = type; self.nullable = nullable
        }
    }

    /// The exported tables, one folder each under the export directory.
    public enum Table: String, Sendable, CaseIterable {
        /// One row per name in the image (hard links once per name), for a stack per name of
        /// the merged view and per layer directory merged into a directory.
        case files
        /// One row per data extent (chunk, compressed extent, inline tail, hole) of each regular file.
        case chunks
        /// One row per 4 KiB page of each regular file whose data was read, with its content digest.
        case pages

        public var columns: [Column] {
            switch self {
            case .files: return ExportSchema.fileColumns
            case .chunks: return ExportSchema.chunkColumns
            case .pages: return ExportSchema.pageColumns
            }
        }
    }

    static let keyColumns: [Column] = [
        Column("schema_version", .bigint), Column("image", .string), Column("layer", .string),
    ]

    static let fileColumns: [Column] = keyColumns + [
        Column("layer_index", .bigint), Column("path", .string), Column("nid", .ubigint), Column("type", .string),
        Column("mode", .string), Column("size", .bigint), Column("pages", .bigint),
        Column("fingerprint_stored", .string, nullable: true), Column("fingerprint_computed", .string, nullable: true),
        Column("layout", .string), Column("compressed", .boolean), Column("compression", .string, nullable: true),
        Column("device", .bigint, nullable: true), Column("blob_tag", .string, nullable: true), Column("data_read", .boolean),
    ]

    static let chunkColumns: [Column] = keyColumns + [
        Column("path", .string), Column("nid", .ubigint), Column("chunk_index", .bigint), Column("logical_offset", .bigint),
        Column("length", .bigint), Column("kind", .string), Column("device", .bigint, nullable: true),
        Column("blob_tag", .string, nullable: true), Column("physical_address", .bigint, nullable: true),
        Column("physical_length", .bigint, nullable: true), Column("algorithm", .string, nullable: true),
        Column("pcluster", .string, nullable: true), Column("digest", .string, nullable: true),
    ]

    static let pageColumns: [Column] = keyColumns + [
        Column("nid", .ubigint), Column("page", .bigint), Column("digest", .string),
    ]
}

extension ExportSchema {
    /// `schema.json`, written at the top of every export: the version, the page size and each
    /// table's columns (name, type, nullable), for loaders that build typed views from it.
    public static var json: String {
        let tables = Table.allCases.map { table -> String in
            let columns = table.columns.map { c in
                "{\"name\": \(JSONString.quoted(c.name)), \"type\": \"\(c.type.rawValue)\", \"nullable\": \(c.nullable)}"
            }
            return "    \"\(table.rawValue)\": [\n      " + columns.joined(separator: ",\n      ") + "\n    ]"
        }
        return "{\n  \"schema_version\": \(version),\n  \"page_size\": \(pageSize),\n  \"tables\": {\n" + tables.joined(separator: ",\n") + "\n  }\n}\n"
    }
}
