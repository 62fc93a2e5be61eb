/**
 * Runs N worker processes against one account of one store, with duplicated deliveries and random
 * SIGKILLs, relaying the outbox meanwhile; then gathers what the checks need and the figures.
 *
 * Workers are bundled once with esbuild into node_modules/.cache (so plain node starts them in
 * milliseconds and they resolve better-sqlite3 and pg from the repo), and each is sent a config
 * file: its list of deliveries and where to start. A killed worker is started again from the
 * first delivery it had not acknowledged: that one is delivered again (it may have committed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import type { CrmEvent } from "../../src/index.js";
import type { SqlStore } from "../../src/index.js";
import type { RunFacts } from "./checks.js";
import type { Ack, WorkerConfig } from "./worker.js";
import { workload } from "./workload.js";

const here = dirname(fileURLToPath(import.meta.url));

const bundled = new Map<string, string>();
/** A worker (worker.ts, or `entry`.ts beside it) as one ES module file (built once per test process). */
export function workerBundle(entry = "worker"): string {
  const built = bundled.get(entry);
  if (built !== undefined) return built;
  const dir = join(here, "..", "..", "node_modules", ".cache", "crm-store-worker");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${entry}-${process.pid}.mjs`);
  buildSync({
    entryPoints: [join(here, `${entry}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node18",
    outfile,
    external: ["better-sqlite3", "pg"],
    // "crm-ownership" (how the stores import the engine) is src/index.ts, by tsconfig's paths.
    tsconfig: join(here, "..", "..", "tsconfig.json"),
    logLevel: "error",
  });
  bundled.set(entry, outfile);
  return outfile;
}

export interface Plan {
  readonly kind: "sqlite" | "postgres";
  /** How to open the store in a worker (a file, or a PostgreSQL database). */
  readonly connection: Pick<WorkerConfig, "file" | "pg">;
  /** The parent's own store on the same database (relay, checks). */
  readonly store: SqlStore;
  readonly workers: number;
  readonly perWorker: number;
  readonly kills: number;
  readonly seed: number;
  readonly broken?: boolean;
  /** Copies planted are rotation assignments (see workload.ts). */
  readonly rotatingCopies?: boolean;
  /** How many accounts the workers share (worker i writes to account i mod accounts; default 1). */
  readonly accounts?: number;
}

export interface Figures {
  readonly workers: number;
  readonly accounts: number;
  readonly deliveries: number;
  readonly copiesPlanted: number;
  readonly acknowledged: number;
  readonly committed: number;
  readonly refused: number;
  readonly duplicatesCaught: number;
  /** Loads beyond the first, summed over acknowledged deliveries (conflicts retried). */
  readonly retries: number;
  /** Deliveries sent again by a worker after giving up on conflicts. */
  readonly resent: number;
  readonly kills: number;
  readonly processes: number;
  readonly events: number;
  readonly finalVersion: number;
  readonly seconds: number;
  /** Acknowledged deliveries per second, all workers together. */
  readonly perSecond: number;
}

/** The account of one worker: "acct" when there is one, else acct-0, acct-1, … */
const accountOf = (plan: Plan, slot: number): string => ((plan.accounts ?? 1) === 1 ? "acct" : `acct-${slot % (plan.accounts ?? 1)}`);

/** A run's facts per account (one entry for one account), and its figures. */
export async function multiProcessRun(plan: Plan): Promise<{ facts: RunFacts; perAccount: RunFacts[]; figures: Figures; stderr: string }> {
  const bundle = workerBundle();
  const load = workload(plan.seed, plan.workers, plan.perWorker, { rotatingCopies: plan.rotatingCopies === true, accounts: plan.accounts ?? 1 });
  await plan.store.migrate();
  const accounts = [...new Set(Array.from({ length: plan.workers }, (_, slot) => accountOf(plan, slot)))];
  for (const accountId of accounts) await plan.store.createAccount(accountId, load.initial);
  const dir = mkdtempSync(join(tmpdir(), "crm-workers-"));
  const acks: Ack[] = [];
  const delivered = new Map<string, CrmEvent[]>(accounts.map((a) => [a, []]));
  const relayAll = async () => {
    for (const accountId of accounts) {
      await plan.store.relay(accountId, (event) => {
        delivered.get(accountId)?.push(event);
      });
    }
  };
  let stderr = "";
  let kills = 0;
  let processes = 0;
  const started = performance.now();
  // Kills land when the acknowledged count crosses these marks (spread over the run).
  const total = plan.workers * plan.perWorker;
  const marks = Array.from({ length: plan.kills }, (_, i) => Math.floor(total * (0.1 + (0.75 * (i + 0.5)) / Math.max(1, plan.kills)))).sort((a, b) => a - b);

  try {
    const next = new Array<number>(plan.workers).fill(0); // the first position not acknowledged, per worker
    const live = new Map<number, ChildProcess>();
    let finished = 0;
    let running = true;

    const done = new Promise<void>((resolve, reject) => {
      const start = (slot: number) => {
        const file = join(dir, `w${slot}-${processes}.json`);
        const config: WorkerConfig = {
          kind: plan.kind,
          ...plan.connection,
          accountId: accountOf(plan, slot),
          deliveries: load.lists[slot] as WorkerConfig["deliveries"],
          start: next[slot] as number,
          together: [...load.together].filter(([, pair]) => pair.includes(slot)).map(([position]) => position),
          broken: plan.broken === true,
        };
        writeFileSync(file, JSON.stringify(config));
        const child = spawn(process.execPath, [bundle, file], { stdio: ["pipe", "pipe", "pipe"] });
        processes++;
        live.set(slot, child);
        child.stdin.on("error", () => {}); // a "go" written to a worker just killed
        let buffer = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            const message = JSON.parse(line) as Ack | { ready: number };
            if ("ready" in message) {
              ready(slot, message.ready);
              continue;
            }
            const ack = message;
            acks.push(ack);
            next[slot] = ack.position + 1;
            if (marks.length > 0 && acks.length >= (marks[0] as number)) {
              marks.shift();
              kill();
            }
          }
        });
        child.stderr.setEncoding("utf8");
        child.stderr.on("data", (chunk: string) => (stderr += chunk));
        child.on("exit", (code, signal) => {
          if (live.get(slot) === child) live.delete(slot);
          if (signal === "SIGKILL") {
            start(slot); // as a supervisor would: the same work, from the first unacknowledged delivery
          } else if (code !== 0) {
            reject(new Error(`worker ${slot} exited with ${code}: ${stderr.slice(-2000)}`));
          } else if (++finished === plan.workers) {
            resolve();
          }
        });
      };
      // Two copies of one command: both workers wait at the position until both are there.
      const waitingAt = new Map<number, Set<number>>();
      const released = new Set<number>();
      const wake = (slot: number) => live.get(slot)?.stdin?.write("go\n");
      const ready = (slot: number, position: number) => {
        if (released.has(position)) return wake(slot); // a restarted worker after the pair left
        const set = waitingAt.get(position) ?? new Set<number>();
        set.add(slot);
        waitingAt.set(position, set);
        if (set.size === 2) {
          released.add(position);
          waitingAt.delete(position);
          for (const s of set) wake(s);
        }
      };
      const kill = () => {
        const candidates = [...live.entries()].filter(([slot]) => (next[slot] as number) < (load.lists[slot]?.length ?? 0));
        const picked = candidates[Math.floor(Math.random() * candidates.length)];
        if (picked === undefined) return;
        // A few milliseconds later, so the kill often lands inside a transaction.
        setTimeout(() => {
          if (picked[1].exitCode === null && picked[1].signalCode === null) {
            kills++;
            picked[1].kill("SIGKILL");
          }
        }, Math.floor(Math.random() * 8));
      };
      for (let slot = 0; slot < plan.workers; slot++) start(slot);
    });

    // The relay runs beside the writers, as a host's relay process would.
    const relaying = (async () => {
      while (running) {
        await relayAll();
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      await done;
    } finally {
      running = false;
      await relaying;
    }
    const seconds = (performance.now() - started) / 1000;
    await relayAll();
    const perAccount: RunFacts[] = [];
    for (const accountId of accounts) {
      const final = await plan.store.loadAccount(accountId);
      if (final === undefined) throw new Error(`account ${accountId} is gone`);
      perAccount.push({
        initial: load.initial,
        acks: acks.filter((a) => a.accountId === accountId),
        events: await plan.store.readEvents(accountId),
        final,
        delivered: delivered.get(accountId) ?? [],
      });
    }
    const ok = acks.filter((a) => a.ok);
    const figures: Figures = {
      workers: plan.workers,
      accounts: accounts.length,
      deliveries: load.deliveries,
      copiesPlanted: load.copies,
      acknowledged: acks.length,
      committed: ok.filter((a) => !a.duplicate && a.events > 0).length,
      refused: acks.filter((a) => !a.ok && !a.duplicate).length,
      duplicatesCaught: acks.filter((a) => a.duplicate).length,
      retries: acks.reduce((sum, a) => sum + Math.max(0, a.attempts - a.sends), 0),
      resent: acks.reduce((sum, a) => sum + a.sends - 1, 0),
      kills,
      processes,
      events: perAccount.reduce((sum, f) => sum + f.events.length, 0),
      finalVersion: Math.max(...perAccount.map((f) => f.final.version)),
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(acks.length / seconds),
    };
    return { facts: perAccount[0] as RunFacts, perAccount, figures, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
