-- DuckDB views over an erofs-top export's JSON Lines tables (schema 1); run from the export folder.
CREATE OR REPLACE TEMPORARY VIEW files AS
SELECT * FROM read_json('files/*.jsonl', format = 'newline_delimited', columns = {
    schema_version: 'BIGINT', image: 'VARCHAR', layer: 'VARCHAR', layer_index: 'BIGINT', path: 'VARCHAR',
    nid: 'UBIGINT', type: 'VARCHAR', mode: 'VARCHAR', size: 'BIGINT', pages: 'BIGINT',
    fingerprint_stored: 'VARCHAR', fingerprint_computed: 'VARCHAR', layout: 'VARCHAR', compressed: 'BOOLEAN',
    compression: 'VARCHAR', device: 'BIGINT', blob_tag: 'VARCHAR', data_read: 'BOOLEAN'});
CREATE OR REPLACE TEMPORARY VIEW chunks AS
SELECT * FROM read_json('chunks/*.jsonl', format = 'newline_delimited', columns = {
    schema_version: 'BIGINT', image: 'VARCHAR', layer: 'VARCHAR', path: 'VARCHAR', nid: 'UBIGINT',
    chunk_index: 'BIGINT', logical_offset: 'BIGINT', length: 'BIGINT', kind: 'VARCHAR', device: 'BIGINT',
    blob_tag: 'VARCHAR', physical_address: 'BIGINT', physical_length: 'BIGINT', algorithm: 'VARCHAR',
    pcluster: 'VARCHAR', digest: 'VARCHAR'});
CREATE OR REPLACE TEMPORARY VIEW pages AS
SELECT * FROM read_json('pages/*.jsonl', format = 'newline_delimited', columns = {
    schema_version: 'BIGINT', image: 'VARCHAR', layer: 'VARCHAR', nid: 'UBIGINT', page: 'BIGINT', digest: 'VARCHAR'});
