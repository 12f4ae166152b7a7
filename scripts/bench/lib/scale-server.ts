import { randomBytes } from "node:crypto";

import { queryOnOwnConnection, startOwnCluster } from "@/faults/own-postgres";
import { migrateDatabase } from "@/scripts/lib/stack";
import { freePort } from "@/scripts/lib/free-port";

// Where the scale bench (scripts/bench/scale.ts) keeps its data: the machine's shared PostgreSQL
// by default, or with --own-server a cluster of its own configured as a server for 30 M members
// would be, on a machine of this one's memory (23 GB): the defaults (128 MB of shared buffers,
// a checkpoint every 1 GB of WAL) have it rewrite full pages of its indexes after every
// checkpoint while it grows, which is what makes growing past 10 M slow there. Not more WAL than
// 8 GB between checkpoints: with 32 GB, the WAL held 26 GB beside 14 GB of data at 12 M members,
// and 30 M would not have fitted the disk (about 35 GB of data at 30 M).
const SCALE_SERVER_SETTINGS = {
  shared_buffers: "4GB",
  effective_cache_size: "12GB",
  maintenance_work_mem: "1GB",
  max_wal_size: "8GB",
  checkpoint_timeout: "30min",
  wal_compression: "on",
  random_page_cost: "1.1",
};

/** A PostgreSQL cluster of the bench's own, tuned for its size, with the database `objection` migrated. */
export const startScaleServer = async () => startOwnCluster({ port: await freePort(), name: "scale", settings: SCALE_SERVER_SETTINGS });

/** A new, migrated database on the same server as `databaseUrl`, and a way to drop it. */
export const createSiblingDatabase = async (databaseUrl: string) => {
  const name = `objection_scale_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  await queryOnOwnConnection({ url: admin.toString(), text: `CREATE DATABASE "${name}"` });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await migrateDatabase({ DATABASE_URL: url.toString() });
  return { url: url.toString(), drop: () => queryOnOwnConnection({ url: admin.toString(), text: `DROP DATABASE "${name}" WITH (FORCE)` }).then(() => undefined) };
};
