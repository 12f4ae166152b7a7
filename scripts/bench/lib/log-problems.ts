import type { ChildProcess } from "node:child_process";

/**
 * Log lines that look like trouble, from the processes a bench starts, shown at the end (the load
 * hides them otherwise). Counted, with the first few distinct ones kept.
 */
export const logProblems = () => {
  const problems = new Map<string, number>();
  const watch = ({ name, child }: { name: string; child: ChildProcess }) => {
    const note = (chunk: Buffer, stream: "stdout" | "stderr") => {
      for (const line of chunk.toString().split("\n")) {
        if (line.trim() === "" || (stream === "stdout" && !/error|fail|exception|warn/i.test(line))) continue;
        const text = line.trim().slice(0, 240);
        const key = text.startsWith(`[${name}]`) ? text : `[${name}] ${text}`;
        if (problems.has(key) || problems.size < 20) problems.set(key, (problems.get(key) ?? 0) + 1);
      }
    };
    child.stdout?.on("data", (chunk: Buffer) => note(chunk, "stdout"));
    child.stderr?.on("data", (chunk: Buffer) => note(chunk, "stderr"));
  };
  const print = () => {
    if (problems.size === 0) return;
    console.log("\nApp and worker log lines that look like trouble (first distinct ones):");
    for (const [line, count] of problems) console.log(`  ${count}× ${line}`);
  };
  return { watch, print };
};
