/**
 * `npm run bench`: the cost of commands against the size of the account, for the library and for
 * the floor (bench/floor.ts, a hand-written mutable model with the same checks and events).
 *
 *   npm run bench                  full run (a few minutes), writes docs/performance.svg
 *   npm run bench -- --quick       seconds, for CI; no thresholds, writes no file
 *   options: --dist (time dist/index.js, after `npm run build`, instead of src/ bundled by
 *            bench/main.mjs as tsup bundles it), --sizes=1000,10000 , --svg=path , --json=path,
 *            --scale=10000,100000,1000000 (the scale part, bench/scale.ts; --scale= for none),
 *            --scale-moves (of the scale part, only the bulk moves), --scale-recouple (only the
 *            re-coupling of 1,000 split groups), --sizes= (no main part)
 *
 * bench/main.mjs bundles this file and runs it under `node --expose-gc` (for the memory
 * measurement); `node --expose-gc --import tsx bench/run.ts` works too, slower (see main.mjs).
 *
 * Every sample of a single-command task runs a short chain of commands from the base snapshot
 * and reports the time per command; then the state goes back to the base (the library just
 * drops the new snapshot, the floor rolls its journal back, untimed). Before anything is timed,
 * the floor's events are checked to be deep-equal to the library's for the same commands.
 */
import { deepStrictEqual } from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import type { Command, CrmEvent, CrmState, ExecuteResult } from "../src/index.js";
import { AFTER_BATCH, generateAccount, mixedBatch, RECOUPLE, STREAMS, type Mode, type StreamName } from "./account.js";
import { renderChart, type Panel } from "./chart.js";
import { Floor, type FloorResult } from "./floor.js";
import { runScale, type ScaleResult, type ScaleTask } from "./scale.js";

type Lib = typeof import("../src/index.js");

/** The bench runs every command as a trusted system actor: the permission checks of a user actor are measured by the tests, not here. */
const BENCH_CONTEXT = { actor: { system: "bench" } } as const;

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag("quick");
const useDist = flag("dist");
const sizes = (option("sizes") ?? "1000,10000,100000").split(",").filter(Boolean).map(Number);
/** The accounts of the scale part (not in --quick; `--scale=` for none). */
const scaleSizes = quick ? [] : (option("scale") ?? "10000,100000,1000000").split(",").filter(Boolean).map(Number);
/** The package root: set by bench/main.mjs (this file then runs from a bundle elsewhere). */
const root = process.env["CRM_BENCH_ROOT"] ?? process.cwd();
const svgPath = option("svg") ?? (quick ? undefined : join(root, "docs", "performance.svg"));
const jsonPath = option("json");
const BATCH = 10_000;
/** Commands per sample of a single-command task. */
const CHAIN = 16;

/** Per task: a time budget (ms) and a minimum of samples, and the same for the warm-up. */
const budget = quick
  ? { light: { time: 40, iterations: 8, warmupTime: 15, warmupIterations: 4 }, heavy: { time: 0, iterations: 1, warmup: false } }
  : { light: { time: 350, iterations: 32, warmupTime: 100, warmupIterations: 16 }, heavy: { time: 1500, iterations: 5, warmupTime: 0, warmupIterations: 1 } };

const lib: Lib = useDist ? await import(pathToFileURL(join(root, "dist", "index.js")).href) : await import("../src/index.js");
const source = useDist ? "dist/index.js (the built package)" : process.env["CRM_BENCH_ROOT"] ? "src/ bundled as the package is built" : "src/ through tsx";
const gc = (globalThis as { gc?: () => void }).gc;
/** A full collection (two in a full run: the second frees what finalizers of the first let go). */
const settle = () => {
  gc?.();
  if (!quick) gc?.();
};

// ---------------------------------------------------------------------------------------------
// Measuring

/** Medians, in milliseconds per operation (per command for the single-command tasks). */
interface Measured {
  library: number;
  floor: number;
  /** Commands in one operation (1, or the batch size for executeAll). */
  commands: number;
}
type TaskName = StreamName | "recouple" | "executeAll" | "executeAllThen" | "oneByOne" | "createState" | "toRecords";
const results: Record<Mode, Record<number, Partial<Record<TaskName, Measured>>>> = { coupled: {}, separate: {} };
const memory: Partial<Record<Mode, MemoryResult>> = {};

interface MemoryResult {
  size: number;
  commands: number;
  retainedBytes: number;
  touchedRecords: number;
  touchedBytes: number;
  ratio: number;
}

const median = async (name: string, heavy: boolean, fn: () => unknown, hooks: { afterEach?: () => void } = {}): Promise<number> => {
  const options = heavy ? budget.heavy : budget.light;
  const bench = new Bench({ warmup: true, ...options, throws: true });
  // `async: false`: else tinybench calls fn once, outside the hooks, to find out.
  bench.add(name, fn, hooks.afterEach ? { async: false, afterEach: hooks.afterEach } : { async: false });
  await bench.run();
  const task = bench.tasks[0];
  const result = task?.result;
  if (!result || !("latency" in result)) throw new Error(`bench: ${name} did not complete (${result?.state})`);
  return result.latency.p50;
};

const ok = (result: ExecuteResult, what: string): CrmState => {
  if (!result.ok) throw new Error(`bench: ${what} was refused: ${result.error.code} ${result.error.message}`);
  return result.state;
};

const floorOk = (result: FloorResult, what: string): void => {
  if (!result.ok) throw new Error(`bench: the floor refused ${what}: ${result.error.code} ${result.error.message}`);
};

/** A chain of single commands from the base, timed per command; then back to the base. */
function chainTasks(base: CrmState, floor: Floor, stream: (i: number) => Command) {
  let libCursor = 0;
  let floorCursor = 0;
  const next = (cursor: number) => Array.from({ length: CHAIN }, (_, k) => stream(cursor + k));
  return {
    library: () => {
      const commands = next(libCursor);
      libCursor += CHAIN;
      let s = base;
      const t0 = performance.now();
      for (const command of commands) s = ok(lib.execute(s, command, BENCH_CONTEXT), command.type);
      const elapsed = performance.now() - t0;
      return { overriddenDuration: elapsed / CHAIN, overriddenIterationCost: elapsed };
    },
    floor: () => {
      const commands = next(floorCursor);
      floorCursor += CHAIN;
      const t0 = performance.now();
      for (const command of commands) {
        floorOk(floor.execute(command), command.type);
      }
      const elapsed = performance.now() - t0;
      floor.rollback(0);
      return { overriddenDuration: elapsed / CHAIN, overriddenIterationCost: elapsed };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checking that the floor does the same work

function verify(n: number, mode: Mode, base: CrmState, floor: Floor, batch: Command[]): void {
  for (const [name, stream] of Object.entries(STREAMS) as [StreamName, (i: number, n: number) => Command][]) {
    for (let start = 0; start < 4 * CHAIN; start += CHAIN) {
      let s = base;
      for (let i = start; i < start + CHAIN; i++) {
        const command = stream(i, n);
        const r = lib.execute(s, command, BENCH_CONTEXT);
        const f = floor.execute(command);
        if (!r.ok || !f.ok) throw new Error(`verify ${name} #${i}: refused (library ${r.ok ? "ok" : r.error.code}, floor ${f.ok ? "ok" : f.error.code})`);
        deepStrictEqual(f.events, r.events, `verify ${name} #${i}: the floor's events differ from the library's`);
        if (name === "noop" ? r.events.length !== 0 || r.state !== s : r.events.length === 0) throw new Error(`verify ${name} #${i}: unexpected effect`);
        s = r.state;
      }
      floor.rollback(0);
    }
  }
  const r = lib.executeAll(base, batch, BENCH_CONTEXT);
  const f = floor.executeAll(batch);
  if (!r.ok || !f.ok) throw new Error(`verify executeAll: refused (library ${r.ok ? "ok" : `${r.error.code} #${r.error.index}`}, floor ${f.ok ? "ok" : `${f.error.code} #${f.error.index}`})`);
  deepStrictEqual(f.events, r.events, "verify executeAll: the floor's events differ from the library's");
  // The whole state too, where it is cheap enough (it is checked at every size in a full run).
  if (!quick || n <= 10_000) deepStrictEqual(floor.toRecords(), lib.toRecords(r.state), "verify executeAll: the floor's records differ");
  floor.rollback(0);
  // Re-coupling at every size in a full run; in --quick up to 10k (200k events take a while).
  if (mode === "separate" && (!quick || n <= 10_000)) {
    const lr = lib.execute(base, RECOUPLE, BENCH_CONTEXT);
    const fr = floor.execute(RECOUPLE);
    if (!lr.ok || !fr.ok) throw new Error("verify recouple: refused");
    deepStrictEqual(fr.events, lr.events as CrmEvent[], "verify recouple: the floor's events differ");
    floor.rollback(0);
  }
  if (floor.journal.length !== 0 || floor.version !== base.version) throw new Error("verify: the floor did not roll back");
}

// ---------------------------------------------------------------------------------------------
// Memory: 10k commands one by one, the last snapshot kept; heap after GC against the records touched

function measureMemory(base: CrmState, batch: Command[]): Omit<MemoryResult, "size"> {
  if (!gc) throw new Error("no gc");
  const heap = () => {
    settle();
    return process.memoryUsage().heapUsed;
  };
  // In a function of its own, so that no stack slot of this one keeps an intermediate snapshot.
  const oneByOne = (): CrmState => {
    let s = base;
    for (const command of batch) s = ok(lib.execute(s, command, BENCH_CONTEXT), command.type);
    return s;
  };
  // Once untimed, so that compiled code and inline caches exist before the first reading.
  oneByOne();
  const before = heap();
  const s = oneByOne();
  const after = heap();
  // The records that differ from the base (new or changed): the ones the commands touched.
  const touched: object[] = [];
  for (const c of lib.listContacts(s)) if (lib.getContact(base, c.id) !== c) touched.push(c);
  for (const o of lib.listOpportunities(s)) if (lib.getOpportunity(base, o.id) !== o) touched.push(o);
  const h0 = heap();
  // Their size: a plain copy of each (objects and arrays; the id strings are shared, as in the state).
  const copies = touched.map((r) => {
    const record = r as { followers: { userId: string; source: string }[]; opportunityIds?: string[] };
    return { ...record, followers: record.followers.map((f) => ({ ...f })), ...(record.opportunityIds && { opportunityIds: [...record.opportunityIds] }) };
  });
  const h1 = heap();
  const retainedBytes = after - before;
  const touchedBytes = h1 - h0;
  if (copies.length !== touched.length || s === base) throw new Error("unreachable");
  return { commands: batch.length, retainedBytes, touchedRecords: touched.length, touchedBytes, ratio: retainedBytes / touchedBytes };
}

// ---------------------------------------------------------------------------------------------
// The run

const started = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
})();
const machine = `${os.availableParallelism()} cores (${cpuModel}), Node ${process.version}, ${os.platform()} ${os.arch()}`;
log(`crm-ownership bench${quick ? " --quick" : ""}: ${source}; ${machine}`);
if (!gc) log("(node was not started with --expose-gc: the memory measurement is skipped)");

// Warm-up: every code path of the library and of the floor runs many times on a small account
// first, so that the first size measured does not pay for the JIT compiler.
{
  const t = performance.now();
  const n = 1000;
  const chains = quick ? 30 : 200;
  for (const mode of ["coupled", "separate"] as const) {
    const records = generateAccount(n, mode);
    const base = lib.createState(records);
    const floor = Floor.fromRecords(records);
    for (const stream of Object.values(STREAMS)) {
      const tasks = chainTasks(base, floor, (i) => stream(i, n));
      for (let i = 0; i < chains; i++) {
        tasks.library();
        tasks.floor();
      }
    }
    const batch = mixedBatch(BATCH, n);
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      ok(lib.execute(ok(lib.executeAll(base, batch, BENCH_CONTEXT), "executeAll"), AFTER_BATCH, BENCH_CONTEXT), "after the batch");
      floorOk(floor.executeAll([...batch, AFTER_BATCH]), "executeAll");
      floor.rollback(0);
      if (mode === "separate") {
        ok(lib.execute(base, RECOUPLE, BENCH_CONTEXT), "recouple");
        floorOk(floor.execute(RECOUPLE), "recouple");
        floor.rollback(0);
      }
      lib.toRecords(lib.createState(records));
      Floor.fromRecords(records).toRecords();
    }
  }
  log(`(warm-up: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/** One generated account, as the library's snapshot and as the floor, kept for the whole run. */
interface Account {
  n: number;
  mode: Mode;
  base: CrmState;
  floor: Floor;
  batch: Command[];
}
const accounts: Account[] = [];
const describe = (a: Pick<Account, "n" | "mode">) => `${a.n / 1000}k ${a.mode}`;
const record = (a: Account, name: TaskName, measured: Measured) => {
  (results[a.mode][a.n] ??= {})[name] = measured;
  const per = (ms: number) => (measured.commands > 1 ? `${((ms * 1000) / measured.commands).toFixed(2)} µs/command` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(2)} µs`);
  log(`  ${describe(a).padEnd(14)} ${name.padEnd(24)} library ${per(measured.library).padStart(16)}   floor ${per(measured.floor).padStart(16)}   ×${(measured.library / measured.floor).toFixed(1)}`);
};
// A full collection before each pair of tasks (not in --quick: on a large heap it takes long).
const pause = () => {
  if (!quick) settle();
};

// 1. Every account, built and verified. All stay alive to the end, so that every size is
// measured on the same heap: what differs between sizes is then the account, not the collector.
for (const n of sizes) {
  for (const mode of ["coupled", "separate"] as const) {
    const t = performance.now();
    const records = generateAccount(n, mode);
    const account: Account = { n, mode, base: lib.createState(records), floor: Floor.fromRecords(records), batch: mixedBatch(BATCH, n) };
    verify(n, mode, account.base, account.floor, account.batch);
    accounts.push(account);
    log(`${describe(account)}: generated, built and verified in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}

// 2. Whole-account operations and executeAll, account by account.
const since = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
log(`\nWhole-account operations and batches (at ${since()}):`);
for (const account of accounts) {
  const { n, mode, base, floor, batch } = account;
  if (mode === "separate") {
    pause();
    const library = await median("recouple library", true, () => ok(lib.execute(base, RECOUPLE, BENCH_CONTEXT), "recouple"));
    const floorMs = await median("recouple floor", true, () => floorOk(floor.execute(RECOUPLE), "recouple"), { afterEach: () => floor.rollback(0) });
    record(account, "recouple", { library, floor: floorMs, commands: 1 });
  }
  pause();
  {
    const library = await median("executeAll library", true, () => ok(lib.executeAll(base, batch, BENCH_CONTEXT), "executeAll"));
    const floorMs = await median("executeAll floor", true, () => floorOk(floor.executeAll(batch), "executeAll"), { afterEach: () => floor.rollback(0) });
    record(account, "executeAll", { library, floor: floorMs, commands: BATCH });
    // The batch's snapshot defers its user index (a host that stores it never pays for it); the
    // next commit on it computes it: what a process that goes on from the batch pays.
    const libraryThen = await median("executeAll then one library", true, () => ok(lib.execute(ok(lib.executeAll(base, batch, BENCH_CONTEXT), "executeAll"), AFTER_BATCH, BENCH_CONTEXT), "after the batch"));
    const floorThen = await median("executeAll then one floor", true, () => floorOk(floor.executeAll([...batch, AFTER_BATCH]), "executeAll"), { afterEach: () => floor.rollback(0) });
    record(account, "executeAllThen", { library: libraryThen, floor: floorThen, commands: BATCH });
    // The same commands one by one, each committed: what executeAll is compared with.
    const oneByOne = await median("one by one library", true, () => {
      let s = base;
      for (const command of batch) s = ok(lib.execute(s, command, BENCH_CONTEXT), command.type);
    });
    const floorOne = await median("one by one floor", true, () => {
      for (const command of batch) floorOk(floor.execute(command), command.type);
    }, { afterEach: () => floor.rollback(0) });
    record(account, "oneByOne", { library: oneByOne, floor: floorOne, commands: BATCH });
  }
  pause();
  {
    const records = generateAccount(n, mode);
    record(account, "createState", {
      library: await median("createState library", true, () => lib.createState(records)),
      floor: await median("createState floor", true, () => Floor.fromRecords(records)),
      commands: 1,
    });
  }
  pause();
  record(account, "toRecords", {
    library: await median("toRecords library", true, () => lib.toRecords(base)),
    floor: await median("toRecords floor", true, () => floor.toRecords()),
    commands: 1,
  });
}

// 3. Single commands: each command on every account in turn, in rounds; per account and
// command, the median of the rounds' medians. Interleaving keeps a passing load on a shared
// machine from landing on one size only.
const ROUNDS = quick ? 1 : 3;
const rounds = new Map<string, { library: number[]; floor: number[] }>();
for (let round = 1; round <= ROUNDS; round++) {
  log(`\nSingle commands, round ${round} of ${ROUNDS} (at ${since()}):`);
  for (const name of Object.keys(STREAMS) as StreamName[]) {
    for (const account of accounts) {
      const stream = STREAMS[name];
      pause();
      // Each round continues the command stream where the last one stopped.
      const tasks = chainTasks(account.base, account.floor, (i) => stream(i + round * 1_000_000, account.n));
      const key = `${describe(account)} ${name}`;
      const seen = rounds.get(key) ?? { library: [], floor: [] };
      rounds.set(key, seen);
      seen.library.push(await median(`${name} library`, false, tasks.library));
      seen.floor.push(await median(`${name} floor`, false, tasks.floor));
      const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      record(account, name, { library: mid(seen.library), floor: mid(seen.floor), commands: 1 });
    }
  }
}

// 4. Memory, on the largest accounts, alone on the heap (every other account and floor let go:
// a smaller heap collects faster, and nothing else moves between the readings).
if (gc && sizes.length > 0) {
  log(`\nMemory (at ${since()}):`);
  const largest = accounts.filter((a) => a.n === Math.max(...sizes)).map(({ n, mode, base, batch }) => ({ n, mode, base, batch }));
  accounts.length = 0;
  for (const account of largest) {
    const m = { size: account.n, ...measureMemory(account.base, account.batch) };
    memory[account.mode] = m;
    log(
      `  memory, ${describe(account)}: ${m.commands} commands one by one retain ${(m.retainedBytes / 2 ** 20).toFixed(1)} MiB; ` +
        `the ${m.touchedRecords} records they touched take ${(m.touchedBytes / 2 ** 20).toFixed(1)} MiB: ×${m.ratio.toFixed(2)}`,
    );
  }
}

// 5. The scale part: one account at a time, up to a million contacts.
let scale: ScaleResult[] = [];
if (scaleSizes.length > 0) {
  log(`\nScale: ${scaleSizes.map((n) => `${n / 1000}k`).join(", ")} contacts, one account at a time (at ${since()}):`);
  // Fewer samples of the whole-account operations: one takes seconds on a million contacts.
  const scaleMedian = async (name: string, heavy: boolean, fn: () => unknown, hooks: { afterEach?: () => void } = {}) => {
    // No warm-up for those: the warm-up of the run has compiled their code on small accounts.
    const options = heavy ? { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 0, warmup: false } : budget.light;
    const bench = new Bench({ warmup: true, ...options, throws: true });
    bench.add(name, fn, hooks.afterEach ? { async: false, afterEach: hooks.afterEach } : { async: false });
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (!result || !("latency" in result)) throw new Error(`bench: ${name} did not complete`);
    return result.latency.p50;
  };
  scale = await runScale({ lib, sizes: scaleSizes, context: BENCH_CONTEXT, median: scaleMedian, chainTasks, log, gc, movesOnly: flag("scale-moves"), recoupleOnly: flag("scale-recouple") });
}

// ---------------------------------------------------------------------------------------------
// Report

const SINGLE: StreamName[] = ["assignContactOwner", "assignOpportunityOwner", "createOpportunity", "noop", "addFollower"];
const LABEL: Record<TaskName, string> = {
  assignContactOwner: "assignContactOwner",
  assignOpportunityOwner: "assignOpportunityOwner",
  createOpportunity: "createOpportunity",
  noop: "no-op (owner unchanged)",
  addFollower: "addFollower",
  recouple: "setting off (re-couple all)",
  executeAll: `executeAll, ${BATCH / 1000}k mixed (per command)`,
  executeAllThen: `the same, then one command (per command)`,
  oneByOne: `the same ${BATCH / 1000}k one by one (per command)`,
  createState: "createState (whole account)",
  toRecords: "toRecords (whole account)",
};
const TASKS: TaskName[] = [...SINGLE, "recouple", "executeAll", "executeAllThen", "oneByOne", "createState", "toRecords"];
const small = Math.min(...sizes);
const large = Math.max(...sizes);
const kilo = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const show = (ms: number, commands: number) => {
  const us = (ms * 1000) / commands;
  return us >= 10_000 ? `${(us / 1000).toFixed(0)} ms` : us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : us >= 100 ? `${us.toFixed(0)} µs` : us >= 10 ? `${us.toFixed(1)} µs` : `${us.toFixed(2)} µs`;
};

// With `--sizes=` (only the scale part), there are no medians per size to show.
if (sizes.length > 0) {
  log(`\n## Medians (${quick ? "quick run: few samples, indicative only" : "full run"}; library, floor and library/floor per size)\n`);
  for (const mode of ["coupled", "separate"] as const) {
    log(`Owners ${mode} (allowDifferentOwners ${mode === "separate" ? "on" : "off"}, both follower subsettings on)\n`);
    log(`| command | ${sizes.map((n) => `${kilo(n)}: library | floor | ×`).join(" | ")} | library ${kilo(large)}/${kilo(small)} |`);
    log(`|---|${sizes.map(() => "--:|--:|--:").join("|")}|--:|`);
    for (const task of TASKS) {
      const cells = sizes.map((n) => {
        const m = results[mode][n]?.[task];
        return m ? `${show(m.library, m.commands)} | ${show(m.floor, m.commands)} | ${(m.library / m.floor).toFixed(1)}` : "– | – | –";
      });
      const a = results[mode][small]?.[task];
      const b = results[mode][large]?.[task];
      if (!a && !b) continue;
      log(`| ${LABEL[task]} | ${cells.join(" | ")} | ${a && b ? `×${(b.library / a.library).toFixed(2)}` : "–"} |`);
    }
    log("");
  }
}
for (const mode of ["coupled", "separate"] as const) {
  const m = memory[mode];
  if (m) {
    log(
      `Memory, owners ${mode}, ${kilo(m.size)} contacts: ${m.commands} commands one by one retain ${(m.retainedBytes / 2 ** 20).toFixed(2)} MiB ` +
        `(${(m.retainedBytes / m.commands).toFixed(0)} B per command); the ${m.touchedRecords} records they touched take ${(m.touchedBytes / 2 ** 20).toFixed(2)} MiB: ×${m.ratio.toFixed(2)}`,
    );
  }
}

if (scale.length > 0) {
  const SCALE_LABEL: Record<ScaleTask, string> = {
    assignContactOwner: "assignContactOwner",
    assignOpportunityOwner: "assignOpportunityOwner",
    createOpportunity: "createOpportunity",
    noop: "no-op (owner unchanged)",
    addFollower: "addFollower",
    createState: "createState (whole account)",
    toRecords: "toRecords (whole account)",
    move1k: "transferOwnership, 1,000 records",
    "move1k as commands": "the same 1,000 records, as 250 assignContactOwner in one executeAll",
    move100k: "transferOwnership, 100,000 records",
    "recouple1%": "setting off, 1% of groups split",
    "recouple100%": "setting off, every group split",
    recouple1k: "setting off, 1,000 groups split (full snapshot)",
    "recouple1k loaded": "setting off, 1,000 groups split (as loaded)",
  };
  log(`\n## Scale (owners coupled; re-coupling with owners separate; medians)\n`);
  log(`| operation | ${scale.map((r) => `${kilo(r.n)}: library | floor | ×`).join(" | ")} |`);
  log(`|---|${scale.map(() => "--:|--:|--:").join("|")}|`);
  for (const task of Object.keys(SCALE_LABEL) as ScaleTask[]) {
    const cells = scale.map((r) => {
      const m = r.tasks[task];
      if (!m) return "– | – | –";
      return `${show(m.library, 1)} | ${m.floor === undefined ? "–" : show(m.floor, 1)} | ${m.floor === undefined ? "–" : (m.library / m.floor).toFixed(1)}`;
    });
    log(`| ${SCALE_LABEL[task]} | ${cells.join(" | ")} |`);
  }
  const bytes = (b: number | undefined) => (b === undefined ? "–" : `${b.toFixed(0)} B`);
  log(`| retained memory per record, beside its records | ${scale.map((r) => `${bytes(r.bytesPerRecord)} | | `).join(" | ")} |`);
  log(`| retained memory per record, alone | ${scale.map((r) => `${bytes(r.bytesPerRecordAlone)} | | `).join(" | ")} |`);
}

// The targets of the issue, read off the medians (informational: no run fails on them).
if (sizes.length > 1) {
  log(`\n## Targets (medians of this run)\n`);
  const verdict = (okay: boolean) => (okay ? "ok  " : "MISS");
  for (const mode of ["coupled", "separate"] as const) {
    for (const task of SINGLE) {
      const a = results[mode][small]?.[task];
      const b = results[mode][large]?.[task];
      if (!a || !b) continue;
      const growth = b.library / a.library;
      const floorRatio = b.library / b.floor;
      log(`${verdict(growth <= 2 && floorRatio <= 50)} ${mode.padEnd(8)} ${task.padEnd(24)} ${kilo(large)}/${kilo(small)} ×${growth.toFixed(2)} (≤ 2)   library/floor at ${kilo(large)} ×${floorRatio.toFixed(1)} (≤ 50)`);
    }
    const e = results[mode][large]?.executeAll;
    if (e) log(`${verdict(e.library / e.floor <= 50)} ${mode.padEnd(8)} ${"executeAll".padEnd(24)} library/floor at ${kilo(large)} ×${(e.library / e.floor).toFixed(1)} (≤ 50)`);
    const o = results[mode][large]?.oneByOne;
    if (e && o) log(`${verdict(e.library / o.library <= 0.7)} ${mode.padEnd(8)} ${"executeAll".padEnd(24)} per command / one by one at ${kilo(large)} ×${(e.library / o.library).toFixed(2)} (≤ 0.7)`);
    const t = results[mode][large]?.executeAllThen;
    if (t && o) log(`${verdict(t.library / o.library <= 0.7)} ${mode.padEnd(8)} ${"executeAll, then one".padEnd(24)} per command / one by one at ${kilo(large)} ×${(t.library / o.library).toFixed(2)} (≤ 0.7; the batch's index computed)`);
    for (const task of SINGLE) {
      const m = results[mode][100_000]?.[task];
      if (m) log(`${verdict(m.library / m.floor <= 5)} ${mode.padEnd(8)} ${task.padEnd(24)} library/floor at 100k ×${(m.library / m.floor).toFixed(1)} (≤ 5)`);
    }
    const c = results[mode][100_000]?.createState;
    if (c) log(`${verdict(c.library / c.floor <= 1.3)} ${mode.padEnd(8)} ${"createState".padEnd(24)} library/floor at 100k ×${(c.library / c.floor).toFixed(2)} (≤ 1.3)`);
    const m = memory[mode];
    if (m) log(`${verdict(m.ratio <= 3)} ${mode.padEnd(8)} ${"memory".padEnd(24)} retained / touched ×${m.ratio.toFixed(2)} (≤ 3)`);
  }
}
if (scale.length > 0) {
  const verdict = (okay: boolean) => (okay ? "ok  " : "MISS");
  const first = scale[0] as ScaleResult;
  const last = scale[scale.length - 1] as ScaleResult;
  const a = first.tasks.move1k;
  const b = last.tasks.move1k;
  if (a && b) log(`${verdict(b.library / a.library <= 2)} scale    ${"move 1,000 records".padEnd(24)} ${kilo(last.n)}/${kilo(first.n)} ×${(b.library / a.library).toFixed(2)} (≤ 2)`);
  const c = first.tasks["move1k as commands"];
  const d = last.tasks["move1k as commands"];
  if (c?.floor !== undefined && d?.floor !== undefined) {
    log(`     scale    ${"the same, as commands".padEnd(24)} ${kilo(last.n)}/${kilo(first.n)} library ×${(d.library / c.library).toFixed(2)}, floor ×${(d.floor / c.floor).toFixed(2)} (no target: how the same move grows without a persistent structure)`);
  }
  for (const task of ["recouple1k", "recouple1k loaded"] as const) {
    const r = first.tasks[task];
    const s = last.tasks[task];
    if (r && s) log(`${verdict(s.library / r.library <= 2)} scale    ${task.padEnd(24)} ${kilo(last.n)}/${kilo(first.n)} ×${(s.library / r.library).toFixed(2)} (≤ 2)`);
  }
  for (const task of SINGLE) {
    const one = results.coupled[1000]?.[task];
    const m = last.tasks[task];
    if (one && m) log(`${verdict(m.library / one.library <= 2)} scale    ${task.padEnd(24)} ${kilo(last.n)} coupled / 1k ×${(m.library / one.library).toFixed(2)} (≤ 2)`);
  }
  if (last.bytesPerRecord !== undefined) log(`     scale    ${"memory".padEnd(24)} ${last.bytesPerRecord.toFixed(0)} bytes per record at ${kilo(last.n)} beside its records`);
  if (last.bytesPerRecordAlone !== undefined) log(`     scale    ${"memory".padEnd(24)} ${last.bytesPerRecordAlone.toFixed(0)} bytes per record at ${kilo(last.n)} alone (its records dropped)`);
}

const seconds = (performance.now() - started) / 1000;
log(`\nDone in ${seconds.toFixed(0)} s.`);

if (svgPath && sizes.length > 1) {
  const series = (mode: Mode) =>
    ([...SINGLE, "executeAll"] as TaskName[]).map((task) => ({
      name: LABEL[task],
      library: sizes.map((n) => {
        const m = results[mode][n]?.[task];
        return m && (m.library * 1000) / m.commands;
      }),
      floor: sizes.map((n) => {
        const m = results[mode][n]?.[task];
        return m && (m.floor * 1000) / m.commands;
      }),
    }));
  const panels: Panel[] = [
    { title: "Owners coupled (setting off)", series: series("coupled") },
    { title: "Owners separate (setting on)", series: series("separate") },
  ];
  writeFileSync(svgPath, renderChart(sizes, panels, `Medians; ${source}; ${machine}.`));
  log(`Wrote ${svgPath}`);
}
if (jsonPath) {
  writeFileSync(jsonPath, `${JSON.stringify({ machine, quick, source, sizes, results, memory, scale }, null, 2)}\n`);
  log(`Wrote ${jsonPath}`);
}
