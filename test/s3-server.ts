import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import S3rver from "s3rver";

export const TEST_BUCKET = "objection-exports";

/**
 * A real S3-protocol server (s3rver) on a free port, with one bucket. `env` holds the AWS SDK's
 * standard variables pointing at it, for this process or a child.
 */
export const startS3Server = async () => {
  const directory = mkdtempSync(path.join(tmpdir(), "objection-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
  const { port } = await server.run();
  const env = {
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    EXPORT_S3_FORCE_PATH_STYLE: "1",
  };
  return {
    env,
    directory,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};
