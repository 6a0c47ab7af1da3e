#!/usr/bin/env python3
"""Kernel figures of one recorded run: distinct (file, page) pairs the kernel added to the page
cache during the run (timed `add` events of an `erofs-top record` native trace), for files and
for files plus EROFS's managed cache (nid 0). A page evicted and added again counts once: the
replay's cache is unbounded, and other processes' memory pressure is not the workload's.
Usage: kernel-figures.py KERNEL.jsonl WORKLOAD KIND RA  -> one figures.tsv line"""
import json, sys
files, managed = set(), set()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("ev") != "add" or "t" not in e:
        continue
    f = e.get("path", e.get("nid"))
    for p in range(e.get("page", 0), e.get("page", 0) + e.get("n", 1)):
        (managed if e.get("nid") == 0 else files).add((f, p))
print("\t".join(sys.argv[2:5] + [str(len(files)), str(len(files) + len(managed))]))
