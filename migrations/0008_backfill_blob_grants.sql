-- Custom SQL migration file, put your code below! --
-- Versions published before blob_grants existed: their owners hold the blobs their
-- manifests name, so commits naming those blobs keep working. bytes are as the
-- manifest declares them (grants count toward storage; commits check real sizes).
INSERT OR IGNORE INTO `blob_grants` (`tenant_id`, `sha256`, `bytes`)
SELECT m.`owner`, json_extract(f.value, '$.sha256'), json_extract(f.value, '$.bytes')
FROM `model_versions` v
JOIN `models` m ON m.`id` = v.`model_id`, json_each(v.`manifest`, '$.files') f;
