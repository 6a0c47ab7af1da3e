#!/usr/bin/env python3
"""The read-all figures of `erofs-top report` from an erofs-top export, in DuckDB.

    python3 scripts/export/duckdb_read_all.py EXPORT_DIR [--format jsonl|csv]

Creates the views of duckdb-views-FORMAT.sql in the export folder, checks their columns against
the export's schema.json, runs read-all.sql and prints the result as JSON."""
import argparse
import json
import os
import sys

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_tables  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export_dir")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    args = parser.parse_args()
    schema = export_tables.load_schema(args.export_dir)
    os.chdir(args.export_dir)  # the views read paths relative to the export folder
    con = duckdb.connect()
    for statement in export_tables.statements(f"duckdb-views-{args.format}.sql"):
        con.execute(statement)
    for table, columns in schema["tables"].items():
        described = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
        expected = [c["name"] for c in columns]
        if described != expected:
            raise SystemExit(f"view {table} has columns {described}, the export's schema {expected}")
    for statement in export_tables.statements("read-all.sql"):
        con.execute(statement)
    out = export_tables.result(schema, con.execute(export_tables.BY_IMAGE).fetchall(), con.execute(export_tables.TOTALS).fetchall())
    out["engine"] = "duckdb " + duckdb.__version__
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
