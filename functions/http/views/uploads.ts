// Rows → API shapes for uploads: each file with the URL its bytes go to.
import { Upload } from '../../../schemas/api/uploads.ts';
import type { UploadRow } from '../../domain/uploads.ts';

export const uploadView = (row: UploadRow) =>
  Upload.parse({
    upload_id: row.id,
    model: row.model,
    status: row.status,
    files: row.manifest.files.map((f) => ({
      path: f.path,
      bytes: f.bytes,
      sha256: f.sha256,
      upload_url: `/v1/uploads/${row.id}/files/${encodeURIComponent(f.path)}`,
    })),
    commit_url: `/v1/uploads/${row.id}/commit`,
  });
