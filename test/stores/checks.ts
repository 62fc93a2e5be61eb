/**
 * The checks after a multi-process run. Each returns the problems it found (empty: it holds):
 * every acknowledged command present exactly once, no command id applied twice, every copy of a
 * command answered alike, versions contiguous, invariants, a replay of the outbox with `evolve`
 * equal to the stored rows, and the relay delivered every event.
 */
import { checkInvariants, createState, evolve, type CrmEvent, type CrmRecordsInit, type CrmState } from "../../src/index.js";
import { assertSameRecords } from "../../src/testing/index.js";
import type { Ack } from "./worker.js";

export interface RunFacts {
  readonly initial: CrmRecordsInit;
  readonly acks: readonly Ack[];
  /** The outbox, in order. */
  readonly events: readonly CrmEvent[];
  /** The account as stored at the end. */
  readonly final: CrmState;
  /** Everything the relay handed out, during the run and after. */
  readonly delivered: readonly CrmEvent[];
}

export type CheckName = "acknowledgedOnce" | "appliedOnce" | "sameAnswer" | "contiguous" | "invariants" | "replay" | "relay";

const byCommand = (events: readonly CrmEvent[]) => {
  const map = new Map<string, CrmEvent[]>();
  for (const e of events) {
    if (e.commandId === undefined) continue;
    const list = map.get(e.commandId) ?? [];
    list.push(e);
    map.set(e.commandId, list);
  }
  return map;
};

export const CHECKS: Record<CheckName, (facts: RunFacts) => string[]> = {
  acknowledgedOnce({ acks, events }) {
    const applied = byCommand(events);
    const out: string[] = [];
    for (const ack of acks) {
      if (!ack.ok) continue;
      const list = applied.get(ack.commandId) ?? [];
      const fine = ack.events === 0 ? list.length === 0 : list.length === ack.events && list.every((e) => e.version === ack.version);
      if (!fine) out.push(`${ack.commandId} acknowledged at v${ack.version} with ${ack.events} events; the outbox has ${list.length} at ${[...new Set(list.map((e) => e.version))].join(",")}`);
    }
    return out;
  },
  appliedOnce({ events }) {
    const out: string[] = [];
    for (const [id, list] of byCommand(events)) {
      const versions = [...new Set(list.map((e) => e.version))];
      if (versions.length > 1) out.push(`${id} applied at versions ${versions.join(", ")}`);
    }
    return out;
  },
  sameAnswer({ acks }) {
    const first = new Map<string, string>();
    const out: string[] = [];
    for (const ack of acks) {
      const answer = JSON.stringify([ack.ok, ack.version, ack.events, ack.code]);
      const seen = first.get(ack.commandId);
      if (seen === undefined) first.set(ack.commandId, answer);
      else if (seen !== answer) out.push(`${ack.commandId} answered ${seen} and ${answer}`);
    }
    return out;
  },
  contiguous({ events, final, initial }) {
    const start = initial.version ?? 0;
    const versions = [...new Set(events.map((e) => e.version))];
    const out: string[] = [];
    versions.forEach((v, i) => {
      if (v !== start + i + 1) out.push(`event version ${v} at place ${i + 1} (expected ${start + i + 1})`);
    });
    if ((versions.at(-1) ?? start) !== final.version) out.push(`last event version ${versions.at(-1)} but the account is at v${final.version}`);
    return out.slice(0, 5);
  },
  invariants({ final }) {
    return checkInvariants(final).map((v) => `[${v.rule}] ${v.message}`);
  },
  replay({ initial, events, final }) {
    try {
      assertSameRecords(events.reduce(evolve, createState(initial)), final, { ignoreOrder: true });
      return [];
    } catch (error) {
      return [error instanceof Error ? error.message.slice(0, 400) : String(error)];
    }
  },
  relay({ events, delivered }) {
    const got = new Set(delivered.map((e) => JSON.stringify(e)));
    const missing = events.filter((e) => !got.has(JSON.stringify(e)));
    return missing.length === 0 ? [] : [`${missing.length} events never relayed, first v${missing[0]?.version} ${missing[0]?.type}`];
  },
};

/** Every check's problems, by check; only failing checks appear. */
export function checkRun(facts: RunFacts): Partial<Record<CheckName, string[]>> {
  const out: Partial<Record<CheckName, string[]>> = {};
  for (const [name, check] of Object.entries(CHECKS) as [CheckName, (f: RunFacts) => string[]][]) {
    const problems = check(facts);
    if (problems.length > 0) out[name] = problems;
  }
  return out;
}
