import { readdirSync, readFileSync } from "node:fs";

// Memory of the processes a bench starts, read from /proc.

/** `root` and every process below it (`next start` may run the server in a child). */
export const processTree = (root: number) => {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name can hold spaces and parentheses: the fields after the last ")" are safe.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
};

const treeRss = (root: number) => {
  let kb = 0;
  const tree = processTree(root);
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Exited.
    }
  }
  return { mb: kb / 1024, processes: tree.length };
};

/** Samples the RSS of `pid`'s process tree every 500 ms and keeps the peak. */
export const sampleRss = (pid: number) => {
  let peak = treeRss(pid);
  const timer = setInterval(() => {
    const now = treeRss(pid);
    if (now.mb > peak.mb) peak = now;
  }, 500);
  return { peak: () => peak.mb, processes: () => peak.processes, stop: () => clearInterval(timer) };
};

/** The peak RSS (VmHWM) one process has had since it started, in MB. */
export const peakRssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
};
