/**
 * The scale part of `npm run bench` (not of `--quick`): accounts of 10k, 100k and 1M contacts
 * (`--scale=…`), one at a time (built, measured, dropped, so that a million contacts fit in the
 * heap), owners coupled: single commands, `createState`, `toRecords`, the memory a snapshot
 * retains per record, bulk moves of a user owning 1,000 and 100,000 records; then, owners
 * separate, turning the setting off with 1% and 100% of the groups split (from a full snapshot),
 * and with 1,000 groups split, from a full snapshot and from the partial one a store loads for it
 * (`load: "recoupling"`: the split groups, settings and users; measured with nothing else of the
 * account on the heap, as in a host).
 * It prints a line at each step, so a long run shows where it stands.
 */
import type { Command, CrmState } from "../src/index.js";
import { generateAccount, giveGroups, OPPORTUNITIES_PER_CONTACT, RECOUPLE, STREAMS, type StreamName } from "./account.js";
import { Floor } from "./floor.js";

type Lib = typeof import("../src/index.js");

/** Medians in milliseconds per operation; `floor` when the floor models the operation. */
export interface ScaleMeasured {
  library: number;
  floor?: number | undefined;
}
export type ScaleTask = StreamName | "createState" | "toRecords" | "move1k" | "move1k as commands" | "move100k" | "recouple1%" | "recouple100%" | "recouple1k" | "recouple1k loaded";
export interface ScaleResult {
  n: number;
  tasks: Partial<Record<ScaleTask, ScaleMeasured>>;
  /**
   * Heap a snapshot retains (after a full collection), per record (contacts and opportunities),
   * beside the records it was built from (still held): what it adds to them.
   */
  bytesPerRecord?: number | undefined;
  /**
   * The same, the records it was built from dropped: everything it keeps, the id strings it took
   * from them included. What a host holds once it has loaded a snapshot.
   */
  bytesPerRecordAlone?: number | undefined;
}

export interface ScaleOptions {
  readonly lib: Lib;
  readonly sizes: readonly number[];
  readonly context: { readonly actor: { readonly system: string } };
  readonly median: (name: string, heavy: boolean, fn: () => unknown, hooks?: { afterEach?: () => void }) => Promise<number>;
  readonly chainTasks: (base: CrmState, floor: Floor, stream: (i: number) => Command) => { library: () => unknown; floor: () => unknown };
  readonly log: (line: string) => void;
  readonly gc: (() => void) | undefined;
  /** Only the bulk moves (`--scale-moves`): the rest of the scale part is skipped. */
  readonly movesOnly?: boolean | undefined;
  /** Only the re-coupling of 1,000 split groups (`--scale-recouple`). */
  readonly recoupleOnly?: boolean | undefined;
}

/** Records a user owns for the bulk moves: whole groups of 4 records (a contact and 3 opportunities). */
const RECORDS_PER_GROUP = 1 + OPPORTUNITIES_PER_CONTACT;

export async function runScale(o: ScaleOptions): Promise<ScaleResult[]> {
  const { lib, log } = o;
  const started = performance.now();
  const at = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const step = (line: string) => log(`  [scale ${at()}] ${line}`);
  const ok = (result: ReturnType<Lib["execute"]>, what: string): CrmState => {
    if (!result.ok) throw new Error(`bench: ${what} was refused: ${result.error.code} ${result.error.message}`);
    return result.state;
  };
  const heap = () => {
    o.gc?.();
    o.gc?.();
    return process.memoryUsage().heapUsed;
  };
  /**
   * The heap a snapshot of a new coupled account of `n` contacts retains on its own, per record.
   * Synchronous and in functions of their own: a local or a temporary of the long async function
   * below stays reachable (saved at each `await`) and kept the records, then the snapshot, alive
   * through what came after (the records measured 377 bytes per record against 170).
   */
  const retainedAlone = (n: number): number => {
    const snapshotOfNewRecords = () => lib.createState(generateAccount(n, "coupled"));
    const before = heap();
    const alone = snapshotOfNewRecords();
    const bytes = heap() - before;
    // Read after the measurement: the snapshot is alive through it, and whole.
    if (lib.listContacts(alone).length !== n) throw new Error("bench: the snapshot measured alone is not the account");
    return bytes / (n * RECORDS_PER_GROUP);
  };
  // Warm-up of the operations no other part of the bench runs, so that the first size measured
  // does not pay for the JIT compiler.
  {
    const records = generateAccount(2000, "coupled");
    giveGroups(records, "bulk-1k", 1000 / RECORDS_PER_GROUP, new Set());
    const warm = lib.createState(records);
    const split = lib.createState(generateAccount(2000, "separate", 100));
    for (let i = 0; i < 30; i++) {
      ok(lib.execute(warm, { type: "transferOwnership", fromUserId: "bulk-1k", toUserId: "u0" }, o.context), "warm-up");
      ok(lib.execute(split, RECOUPLE, o.context), "warm-up");
    }
  }
  const out: ScaleResult[] = [];
  for (const n of o.sizes) {
    const kilo = `${n / 1000}k`;
    const result: ScaleResult = { n, tasks: {} };
    out.push(result);
    const show = (task: ScaleTask, m: ScaleMeasured) => {
      result.tasks[task] = m;
      const f = (ms: number) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(2)} µs`);
      step(`${kilo} ${task.padEnd(24)} library ${f(m.library).padStart(11)}${m.floor === undefined ? "" : `   floor ${f(m.floor).padStart(11)}   ×${(m.library / m.floor).toFixed(1)}`}`);
    };

    // Owners coupled.
    // In a function of its own, so that the coupled account (records and snapshots) can be
    // collected before the separate ones are built: a million contacts of each do not fit together.
    if (!o.recoupleOnly) await (async () => {
      if (o.gc && !o.movesOnly) {
        // First, before anything else of this size is on the heap: the snapshot on its own.
        step(`${kilo} coupled: retained memory of a snapshot alone (its records dropped)…`);
        result.bytesPerRecordAlone = retainedAlone(n);
        step(`${kilo} retained memory, alone: ${result.bytesPerRecordAlone.toFixed(0)} bytes per record`);
      }
      step(`${kilo} coupled: generating the records…`);
      const records = generateAccount(n, "coupled");
      if (!o.movesOnly) {
        // First, with nothing else of this size on the heap (a million contacts take gigabytes).
        step(`${kilo} createState…`);
        show("createState", {
          library: await o.median("createState library", true, () => lib.createState(records)),
          floor: await o.median("createState floor", true, () => Floor.fromRecords(records)),
        });
        step(`${kilo} coupled: building the snapshot and the floor…`);
        const before = o.gc ? heap() : 0;
        let base: CrmState | undefined = lib.createState(records);
        if (o.gc) {
          result.bytesPerRecord = (heap() - before) / (n * RECORDS_PER_GROUP);
          step(`${kilo} retained memory, beside its records: ${result.bytesPerRecord.toFixed(0)} bytes per record (${n} contacts, ${n * OPPORTUNITIES_PER_CONTACT} opportunities)`);
        }
        let floor: Floor | undefined = Floor.fromRecords(records);
        // Single commands on a collected heap, before anything makes garbage by the gigabyte;
        // after a warm-up chain on this account, so that the first command measured does not pay
        // for the collector settling after the build (51.9 µs against 27.9 for the same group
        // move in one run on 1M contacts).
        o.gc?.();
        {
          const warm = o.chainTasks(base, floor, (i) => STREAMS.assignContactOwner(i + 5_000_000, n));
          const until = performance.now() + 500;
          while (performance.now() < until) {
            warm.library();
            warm.floor();
          }
        }
        for (const name of Object.keys(STREAMS) as StreamName[]) {
          const tasks = o.chainTasks(base, floor, (i) => STREAMS[name](i + 3_000_000, n));
          show(name, { library: await o.median(`${name} library`, false, tasks.library), floor: await o.median(`${name} floor`, false, tasks.floor) });
        }
        step(`${kilo} toRecords…`);
        show("toRecords", {
          library: await o.median("toRecords library", true, () => lib.toRecords(base as CrmState)),
          floor: await o.median("toRecords floor", true, () => (floor as Floor).toRecords()),
        });
        floor = undefined;
        base = undefined;
      }

      // The same account, with two users who own 1,000 and 100,000 records (whole groups).
      step(`${kilo} coupled, with users owning 1,000 and 100,000 records: building…`);
      const taken = new Set<number>();
      giveGroups(records, "bulk-1k", 1000 / RECORDS_PER_GROUP, taken);
      const big = n * RECORDS_PER_GROUP >= 2 * 100_000;
      if (big) giveGroups(records, "bulk-100k", 100_000 / RECORDS_PER_GROUP, taken);
      const movable = lib.createState(records);
      const moves: [ScaleTask, string][] = [["move1k", "bulk-1k"]];
      if (big) moves.push(["move100k", "bulk-100k"]);
      for (const [task, from] of moves) {
        const command: Command = { type: "transferOwnership", fromUserId: from, toUserId: "u0" };
        const moved = ok(lib.execute(movable, command, o.context), task);
        if (lib.listContacts(moved).length !== n || moved === movable) throw new Error(`bench: ${task} moved nothing`);
        step(`${kilo} ${task}: moving the records of ${from}…`);
        // On a collected heap, like every measurement here: not amid the garbage of the build
        // and of `toRecords` (gigabytes on a million contacts), which no host's process carries.
        o.gc?.();
        // A move of 1,000 records takes milliseconds: many samples, as for single commands.
        show(task, { library: await o.median(`${task} library`, task === "move100k", () => ok(lib.execute(movable, command, o.context), task)) });
      }
      // The floor has no transfer (no index of what a user owns), but it can move the same records:
      // bulk-1k's 250 groups, one assignContactOwner each, in one batch. How that grows from 10k to
      // 1M contacts says what moving 1,000 records costs on this machine's memory without a
      // persistent structure; the library runs the same batch beside it.
      {
        const batch: Command[] = records.contacts.filter((c) => c.ownerId === "bulk-1k").map((c) => ({ type: "assignContactOwner", contactId: c.id, ownerId: "u0" }));
        const floor = Floor.fromRecords(records);
        step(`${kilo} move1k as commands: ${batch.length} assignContactOwner in one batch…`);
        o.gc?.();
        const timed = (run: () => void, after?: () => void) => () => {
          const t0 = performance.now();
          run();
          const elapsed = performance.now() - t0;
          after?.();
          return { overriddenDuration: elapsed, overriddenIterationCost: elapsed };
        };
        show("move1k as commands", {
          library: await o.median("move1k as commands library", false, timed(() => void ok(lib.executeAll(movable, batch, o.context), "move1k as commands"))),
          floor: await o.median(
            "move1k as commands floor",
            false,
            timed(
              () => {
                const result = floor.executeAll(batch);
                if (!result.ok || result.events.length !== 1000) throw new Error(`bench: the floor's batch did not move 1,000 records`);
              },
              () => floor.rollback(0),
            ),
          ),
        });
      }
    })();
    o.gc?.();

    // Owners separate: the setting turned off, with 1% and with every group split, and with
    // 1,000 groups split (the same work whatever the account's size).
    if (o.movesOnly) continue;
    const every1k = Math.max(1, Math.floor(n / 1000));
    // First, what a host pays with the stores: the snapshot a store loads for it (the split
    // groups whole, settings and users), in a process that holds nothing else of the account (the
    // generated records are dropped first): a host never holds the whole account for it.
    {
      step(`${kilo} separate, 1,000 of the groups split: the groups a store loads…`);
      let records: ReturnType<typeof generateAccount> | undefined = generateAccount(n, "separate", every1k);
      const groups = new Set(records.contacts.filter((_, c) => c % every1k === 0).map((c) => c.id));
      const loadedRecords = {
        ...records,
        contacts: records.contacts.filter((c) => groups.has(c.id)),
        opportunities: records.opportunities.filter((op) => groups.has(op.contactId)),
      };
      records = undefined;
      const loaded = lib.createState(loadedRecords);
      if (lib.listOpportunities(loaded).length !== 3000) throw new Error("bench: the loaded snapshot is not the split groups");
      o.gc?.();
      show("recouple1k loaded", { library: await o.median("recouple1k loaded library", false, () => ok(lib.execute(loaded, RECOUPLE, o.context), "recouple1k loaded")) });
    }
    for (const [task, every] of [
      ["recouple1%", 100],
      ["recouple100%", 1],
      ["recouple1k", every1k],
    ] as const) {
      if (o.recoupleOnly && task !== "recouple1k") continue;
      step(`${kilo} separate, ${task === "recouple1k" ? "1,000" : task.slice(8)} of the groups split: building…`);
      const split = lib.createState(generateAccount(n, "separate", every));
      step(`${kilo} ${task}: turning allowDifferentOwners off…`);
      // On a collected heap: the generated records are garbage now (gigabytes on a million contacts).
      o.gc?.();
      show(task, { library: await o.median(`${task} library`, task !== "recouple1k", () => ok(lib.execute(split, RECOUPLE, o.context), task)) });
      o.gc?.();
    }
  }
  return out;
}
