import { createHash } from "node:crypto";
import { Transform } from "node:stream";

/** Passes bytes through while counting them and hashing them, so a file is hashed as it is written. */
export const hashingCounter = () => {
  const sha256 = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform: (chunk: Buffer, _encoding, callback) => {
      sha256.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: sha256.digest("hex") }) };
};
