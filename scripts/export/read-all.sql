-- erofs-top export, schema 1: the static figures of `erofs-top report --workload read-all`
-- from the exported tables alone. Runs unchanged in DuckDB and Spark SQL over the views
-- `files` and `pages` (duckdb-views-jsonl.sql / duckdb-views-csv.sql, or spark_read_all.py).
-- See docs/export-queries.md for what each step counts and why.

-- What read-all brings into the page cache: every directory (read whole, page by page) and
-- every regular file (read whole; readahead stops at EOF, compressed readmore stays inside
-- the file), once per inode: hard links are one inode, and an image (or layer) shared by two
-- exported images is one mount with one page cache.
CREATE OR REPLACE TEMPORARY VIEW read_all_inodes AS
SELECT DISTINCT image, layer, nid, type, size, pages, compressed,
       fingerprint_stored, fingerprint_computed, data_read
FROM files
WHERE type IN ('dir', 'file');

-- The key each design caches an inode's pages under, with the pages it holds:
--   none:   the inode itself (layer, nid);
--   flat:   a private copy per exported image;
--   inode:  regular files with a fingerprint share by fingerprint, size and data kind
--           (compressed or not), as Linux 7.0 inode_share does; the rest keep their own
--           (inode = computed SHA-256 fingerprints, inode-stored = the images' own xattrs);
--   chunk:  every page of a regular file is keyed by its content digest (pages table);
--           directories, and files whose data could not be read, keep their own pages.
CREATE OR REPLACE TEMPORARY VIEW read_all_keys AS
SELECT 'none' AS policy, image, concat('i:', layer, ':', CAST(nid AS STRING)) AS k, pages, type = 'dir' AS directory
FROM read_all_inodes
UNION ALL
SELECT 'flat', image, concat('i:', image, ':', layer, ':', CAST(nid AS STRING)), pages, type = 'dir'
FROM read_all_inodes
UNION ALL
SELECT 'inode', image,
       CASE WHEN type = 'file' AND fingerprint_computed IS NOT NULL
            THEN concat('f:', fingerprint_computed, ':', CAST(size AS STRING), CASE WHEN compressed THEN ':z' ELSE ':p' END)
            ELSE concat('i:', layer, ':', CAST(nid AS STRING)) END,
       pages, type = 'dir'
FROM read_all_inodes
UNION ALL
SELECT 'inode-stored', image,
       CASE WHEN type = 'file' AND fingerprint_stored IS NOT NULL
            THEN concat('f:', fingerprint_stored, ':', CAST(size AS STRING), CASE WHEN compressed THEN ':z' ELSE ':p' END)
            ELSE concat('i:', layer, ':', CAST(nid AS STRING)) END,
       pages, type = 'dir'
FROM read_all_inodes
UNION ALL
SELECT 'chunk', image, concat('i:', layer, ':', CAST(nid AS STRING)), pages, type = 'dir'
FROM read_all_inodes
WHERE type = 'dir' OR NOT data_read
UNION ALL
SELECT DISTINCT 'chunk', image, concat('p:', digest), 1, false
FROM pages;

-- Each cached page is charged to the first image that reads it, images reading in turn in
-- name order (give report its images in that order to compare per image).
CREATE OR REPLACE TEMPORARY VIEW read_all_charged AS
SELECT policy, k, min(image) AS image, max(pages) AS pages,
       max(CASE WHEN directory THEN 1 ELSE 0 END) AS directory
FROM read_all_keys
GROUP BY policy, k;

-- Result 1: pages each image adds under each design (report's containers[].added_bytes and
-- directory_bytes divided by 4096), every image listed under every design.
CREATE OR REPLACE TEMPORARY VIEW read_all_by_image AS
SELECT p.policy, i.image,
       coalesce(sum(c.pages), 0) AS added_pages,
       coalesce(sum(CASE WHEN c.directory = 1 THEN c.pages ELSE 0 END), 0) AS directory_pages
FROM (SELECT DISTINCT policy FROM read_all_keys) p
CROSS JOIN (SELECT DISTINCT image FROM files) i
LEFT JOIN read_all_charged c ON c.policy = p.policy AND c.image = i.image
GROUP BY p.policy, i.image;

-- Result 2: the fleet's totals (report's policies[].total_bytes / 4096) and what each design
-- saves against none: pages shared by fingerprint (inode) or by content (chunk).
CREATE OR REPLACE TEMPORARY VIEW read_all_totals AS
SELECT t.policy, t.total_pages, n.total_pages - t.total_pages AS saved_pages
FROM (SELECT policy, sum(added_pages) AS total_pages FROM read_all_by_image GROUP BY policy) t
CROSS JOIN (SELECT sum(added_pages) AS total_pages FROM read_all_by_image WHERE policy = 'none') n;
