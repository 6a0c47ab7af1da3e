#!/usr/bin/env python3
"""The read-all figures of `erofs-top report` from a folder of erofs-top exports, in Spark.

    python3 scripts/export/spark_read_all.py EXPORT_DIR... [--format jsonl|csv] [--master local[2]]

Reads the tables with the types of the export's schema.json, registers them as the views
`files`, `chunks` and `pages`, runs the same read-all.sql as DuckDB and prints the result as
JSON (a list of results for several folders, each its own fleet, in one Spark session). On a cluster, pass --master (or run it with spark-submit) and an EXPORT_DIR every executor
can read (HDFS, S3, a shared file system): the code does not change."""
import argparse
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql.types import BooleanType, DecimalType, LongType, StringType, StructField, StructType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_tables  # noqa: E402

TYPES = {"string": StringType(), "bigint": LongType(), "ubigint": DecimalType(20, 0), "boolean": BooleanType()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export_dirs", nargs="+", metavar="export_dir")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--master", default=None, help="Spark master (default: local[2], or what spark-submit sets)")
    args = parser.parse_args()
    builder = SparkSession.builder.appName("erofs-top read-all").config("spark.ui.enabled", "false") \
        .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4")
    if args.master or "SPARK_HOME" not in os.environ:
        builder = builder.master(args.master or "local[2]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    results = [read_all(spark, export_dir, args.format) for export_dir in args.export_dirs]
    spark.stop()
    print(json.dumps(results[0] if len(results) == 1 else results, indent=1))


def read_all(spark, export_dir, table_format):
    """Registers one export's tables as views and runs read-all.sql over them."""
    schema = export_tables.load_schema(export_dir)
    base = os.path.abspath(export_dir) if "://" not in export_dir else export_dir
    for table, columns in schema["tables"].items():
        struct = StructType([StructField(c["name"], TYPES[c["type"]], c["nullable"]) for c in columns])
        path = f"{base}/{table}/*.{table_format}"
        if table_format == "jsonl":
            frame = spark.read.schema(struct).option("mode", "FAILFAST").json(path)
        else:
            # RFC 4180: quotes doubled inside quoted fields, which may hold newlines; an empty
            # field is null, a quoted empty one an empty string.
            frame = spark.read.schema(struct).option("header", "true").option("multiLine", "true") \
                .option("escape", '"').option("mode", "FAILFAST").csv(path)
        frame.createOrReplaceTempView(table)
    for statement in export_tables.statements("read-all.sql"):
        spark.sql(statement)
    by_image = [tuple(r) for r in spark.sql(export_tables.BY_IMAGE).collect()]
    totals = [tuple(r) for r in spark.sql(export_tables.TOTALS).collect()]
    out = export_tables.result(schema, by_image, totals)
    out["engine"] = "spark " + spark.version
    return out


if __name__ == "__main__":
    main()
