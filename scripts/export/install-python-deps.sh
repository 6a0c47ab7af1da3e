#!/usr/bin/env bash
# Installs DuckDB and PySpark from PyPI for the export tests and the documented queries
# (scripts/export/*.py), into a folder of their own (default .build/python-export, or
# $EROFS_TOP_EXPORT_PYTHON): run them with PYTHONPATH set to it. Spark needs Java 17
# (openjdk-17-jre-headless, from scripts/install-deps.sh). Idempotent.
# Prints the folder on success; exits non-zero when pip cannot install them.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${EROFS_TOP_EXPORT_PYTHON:-$PWD/.build/python-export}
python=${PYTHON:-python3}
if PYTHONPATH="$target" "$python" -c 'import duckdb, pyspark' 2>/dev/null; then
	echo "$target"
	exit 0
fi
mkdir -p "$target"
echo "erofs-top: installing duckdb and pyspark from PyPI into $target" >&2
# --target installs into a folder of ours (not the system's Python), so no virtualenv is needed.
"$python" -m pip install --quiet --disable-pip-version-check --target "$target" duckdb==2.0.1 pyspark==4.3.0 >&2
PYTHONPATH="$target" "$python" -c 'import duckdb, pyspark'
echo "$target"
