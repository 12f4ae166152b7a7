import { readFileSync } from "node:fs";

import type pg from "pg";

// CPU time from /proc, in ms: a model of the chainer's cost that the machine's other load does not move.

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/** utime + stime of one process, in ms (0 once it has exited). */
const processCpuMs = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
};

/** The summed CPU of the database's server processes serving `applicationName`, in ms. */
export const backendsCpuMs = async ({ pool, applicationName }: { pool: pg.Pool; applicationName: string }) => {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [applicationName]);
  return rows.reduce((sum, row) => sum + processCpuMs(row.pid), 0);
};

/** This process's CPU so far, in ms. */
export const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
