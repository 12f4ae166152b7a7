// `npm run export:public-key`: prints the public key (PEM) and key id of EXPORT_SIGNING_KEY, for the
// pipeline's engineers. `npm run export:keygen`: prints a new Ed25519 private key for EXPORT_SIGNING_KEY.
import { existsSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";

import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

const main = () => {
  if (process.argv.includes("--new")) {
    const { privateKey } = generateKeyPairSync("ed25519");
    console.log(privateKey.export({ format: "pem", type: "pkcs8" }).toString().trim());
    console.error(`Key id ${signingKeyId(publicKeyOf(privateKey))}. Set it as EXPORT_SIGNING_KEY (in an env file, keep the line breaks or write them as \\n).`);
    return;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  const value = process.env.EXPORT_SIGNING_KEY;
  const privateKey = value ? parseSigningKey(value) : null;
  if (!privateKey) {
    console.error("EXPORT_SIGNING_KEY is missing or not an Ed25519 private key in PEM; `npm run export:keygen` makes one.");
    process.exit(2);
  }
  const publicKey = publicKeyOf(privateKey);
  console.log(publicKey.export({ format: "pem", type: "spki" }).toString().trim());
  console.error(`Key id ${signingKeyId(publicKey)}`);
};

main();
