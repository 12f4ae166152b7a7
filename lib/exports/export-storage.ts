import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

/**
 * Where export runs live: `<location>/<run id>/<file>`. A local folder, or any S3-compatible
 * bucket. Either way an object appears under its name only once it is complete: a folder writes a
 * temporary name and renames it, S3 completes a multipart upload.
 */
export type TExportStorage = {
  /** An absolute folder or `s3://bucket/prefix`: recorded on the run, so readers find it later. */
  location: string;
  put: (args: { key: string; body: Readable }) => Promise<void>;
  /** The object's bytes, or null when it does not exist. */
  get: (key: string) => Promise<Readable | null>;
  removeRun: (runId: string) => Promise<void>;
};

const S3_PART_BYTES = 8 * 1024 * 1024;
const S3_PARTS_IN_FLIGHT = 4;

const folderStorage = (folder: string): TExportStorage => {
  const root = path.resolve(folder);
  return {
    location: root,
    put: async ({ key, body }) => {
      const target = path.join(root, key);
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(body, createWriteStream(`${target}.partial`));
      await rename(`${target}.partial`, target);
    },
    get: async (key) => {
      const target = path.join(root, key);
      const found = await stat(target).catch(() => null);
      return found?.isFile() ? createReadStream(target) : null;
    },
    removeRun: (runId) => rm(path.join(root, runId), { recursive: true, force: true }),
  };
};

let s3Client: S3Client | undefined;

// Region, credentials and endpoint come from the AWS SDK's own variables (AWS_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3), as any S3 tool reads them.
// Checksums only where S3 requires them: several S3-compatible stores refuse the SDK's default
// CRC32 headers, and the manifest's sha256 already proves every byte end to end.
const s3 = () =>
  (s3Client ??= new S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    forcePathStyle: process.env.EXPORT_S3_FORCE_PATH_STYLE === "1",
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  }));

const s3Storage = (url: string): TExportStorage => {
  const { host: bucket, pathname } = new URL(url);
  const prefix = pathname.replace(/^\/+|\/+$/g, "");
  const keyOf = (key: string) => (prefix ? `${prefix}/${key}` : key);
  return {
    location: `s3://${bucket}${prefix ? `/${prefix}` : ""}`,
    put: async ({ key, body }) => {
      // Parts go up while the next is read: memory holds a few parts, never the file.
      const upload = new Upload({ client: s3(), params: { Bucket: bucket, Key: keyOf(key), Body: body }, partSize: S3_PART_BYTES, queueSize: S3_PARTS_IN_FLIGHT });
      body.once("error", () => void upload.abort());
      await upload.done();
    },
    get: async (key) => {
      try {
        const object = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        return object.Body instanceof Readable ? object.Body : null;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
    removeRun: async (runId) => {
      for (;;) {
        const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyOf(`${runId}/`) }));
        const keys = (listed.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        if (keys.length === 0) return;
        await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
        if (!listed.IsTruncated) return;
      }
    },
  };
};

/** The storage at a location: `s3://…` or a folder. */
export const exportStorageAt = (location: string): TExportStorage => (location.startsWith("s3://") ? s3Storage(location) : folderStorage(location));
