/**
 * Runs one `runBulk` in a worker process (bulk-worker.ts) and kills it with SIGKILL after its
 * `afterChunks`-th progress line, while the next chunk loads or commits: how the bulk tests show
 * that a rerun with the same bulk id applies no chunk twice (bulk-run.test.ts,
 * bulk-recouple.test.ts).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandContext } from "../../src/index.js";
import type { BulkWorkerConfig } from "./bulk-worker.js";
import { workerBundle } from "./harness.js";

/** Who the worker acts as: a rerun that resumes its run must act as the same actor. */
export const BULK_WORKER: CommandContext = { actor: { system: "bulk-worker" } };

/** How the worker ended: the signal that ended it, whether it printed its result, its stderr. */
export interface KilledWorker {
  readonly signal: NodeJS.Signals | null;
  readonly ended: boolean;
  readonly stderr: string;
}

export async function killBulkWorker(config: BulkWorkerConfig, afterChunks: number): Promise<KilledWorker> {
  const dir = mkdtempSync(join(tmpdir(), "crm-bulk-"));
  try {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify(config));
    const child = spawn(process.execPath, [workerBundle("bulk-worker"), file], { stdio: ["ignore", "pipe", "pipe"] });
    let seen = 0;
    let ended = false;
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      for (const line of text.split("\n").filter(Boolean)) {
        if ("end" in (JSON.parse(line) as object)) ended = true;
        else if (++seen === afterChunks) child.kill("SIGKILL");
      }
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, s) => resolve(s)));
    return { signal, ended, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
