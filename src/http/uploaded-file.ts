import { openAsBlob } from "node:fs";

/**
 * A file from a multipart form, saved to the upload folder as it arrived: a standard `File`
 * (name, type, size, stream(), text(), arrayBuffer()) whose bytes stay on disk until read, plus
 * the `path` where it lies. The file is removed after the request; move it (fs.rename) to keep it.
 */
export class UploadedFile extends File {
  /** Where the bytes are, until the request ends. */
  readonly path: string;
  /** The form field it came in. */
  readonly field: string;

  private constructor(blob: Blob, name: string, type: string, path: string, field: string) {
    super([blob], name, { type });
    this.path = path;
    this.field = field;
  }

  /** The file at `path` (already complete), without reading it into memory. */
  static async open(path: string, info: { filename: string; type: string; field: string }): Promise<UploadedFile> {
    const blob = await openAsBlob(path, { type: info.type });
    return new UploadedFile(blob, info.filename, info.type, path, info.field);
  }
}
