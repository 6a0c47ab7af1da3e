"""Shared helpers of the erofs-top export runners: the export's schema.json, the query files
and the read-all result in the shape tests compare with `erofs-top report --json`."""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_VERSION = 1


def load_schema(export_dir):
    """The export's schema.json; fails on a schema version these queries were not written for."""
    with open(os.path.join(export_dir, "schema.json")) as f:
        schema = json.load(f)
    if schema["schema_version"] != SCHEMA_VERSION:
        raise SystemExit(f"{export_dir}: schema {schema['schema_version']}, these queries read schema {SCHEMA_VERSION}")
    return schema


def statements(name):
    """The SQL statements of scripts/export/NAME, comments removed."""
    with open(os.path.join(HERE, name)) as f:
        text = re.sub(r"--[^\n]*", "", f.read())
    return [s.strip() for s in text.split(";") if s.strip()]


def result(schema, by_image, totals):
    """read-all figures: per policy the total pages, pages saved against none, and per image
    the pages added and directory pages (rows: (policy, image, added, directory) and
    (policy, total, saved))."""
    policies = {}
    for policy, total, saved in totals:
        policies[policy] = {"policy": policy, "total_pages": int(total), "saved_pages": int(saved), "images": []}
    for policy, image, added, directory in sorted(by_image):
        policies[policy]["images"].append({"image": image, "added_pages": int(added), "directory_pages": int(directory)})
    return {"schema_version": schema["schema_version"], "page_size": schema["page_size"],
            "policies": [policies[p] for p in sorted(policies)]}


BY_IMAGE = "SELECT policy, image, added_pages, directory_pages FROM read_all_by_image ORDER BY policy, image"
TOTALS = "SELECT policy, total_pages, saved_pages FROM read_all_totals ORDER BY policy"
