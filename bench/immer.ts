/**
 * `npm run bench:immer`: what immer would cost in the commit, on the library's own layout.
 *
 * The same change — a contact and its three opportunities get a new owner, as a coupled
 * `assignContactOwner` makes it — written into a 1k and a 100k snapshot three ways:
 *   - immer: one `produce` that walks the draft trie to each record and replaces it;
 *   - path copy: `TableEdit`, as the library commits (copy each node on the path once, freeze);
 *   - in place: the same four assignments on plain mutable objects (no snapshot at all).
 * Only the write is timed: no parsing, rules or events. docs/performance.md quotes the result.
 */
import { Immer, original } from "immer";
import { Bench } from "tinybench";
import { createState, getContact, getOpportunity, type Contact, type CrmState, type Opportunity } from "../src/index.js";
import { hashOf, TableEdit, type Table } from "../src/state/table.js";
import { contactId, generateAccount, opportunityId, user } from "./account.js";

const immer = new Immer({ autoFreeze: true });
const quick = process.argv.includes("--quick");
const STRIDE = 7919;

type Draftable = { [k: number]: unknown; length: number };
type DraftTable = { root: Draftable };

/** Replaces the record `id` in a draft table, reading the bucket through `original` (no proxies). */
function replaceInDraft<T extends { id: string }>(table: DraftTable, id: string, update: (value: T) => T): void {
  const hash = hashOf(id);
  let node = table.root;
  let shift = 0;
  while (node.length === 34) {
    node = node[(hash >>> shift) & 31] as Draftable;
    shift += 5;
  }
  const bucket = (original(node) ?? node) as unknown as readonly unknown[];
  for (let i = 0; i < bucket.length; i += 3) {
    if (bucket[i] === hash && (bucket[i + 2] as T).id === id) {
      node[i + 2] = update(bucket[i + 2] as T);
      return;
    }
  }
  throw new Error(`not found: ${id}`);
}

function viaImmer(state: CrmState, c: number, owner: string): CrmState {
  return immer.produce(state, (draft) => {
    draft.version += 1;
    replaceInDraft<Contact>(draft.contacts as unknown as DraftTable, contactId(c), (v) => ({ ...v, ownerId: owner }));
    for (let k = 0; k < 3; k++) replaceInDraft<Opportunity>(draft.opportunities as unknown as DraftTable, opportunityId(c, k), (v) => ({ ...v, ownerId: owner }));
  });
}

function viaPathCopy(state: CrmState, c: number, owner: string): CrmState {
  const contacts = new TableEdit(state.contacts);
  const contact = getContact(state, contactId(c)) as Contact;
  contacts.put(contact.id, { ...contact, ownerId: owner });
  const opportunities = new TableEdit(state.opportunities);
  for (let k = 0; k < 3; k++) {
    const o = getOpportunity(state, opportunityId(c, k)) as Opportunity;
    opportunities.put(o.id, { ...o, ownerId: owner });
  }
  return Object.freeze({ ...state, version: state.version + 1, contacts: contacts.finish(), opportunities: opportunities.finish() as Table<Opportunity> });
}

const rows: string[] = [];
for (const n of [1000, 100_000]) {
  const records = generateAccount(n, "coupled");
  const state = createState(records);
  const plain = {
    contacts: new Map(records.contacts.map((r) => [r.id, { ...r }])),
    opportunities: new Map(records.opportunities.map((r) => [r.id, { ...r }])),
  };
  // Both ways must give the same records.
  const a = viaImmer(state, 7, user(9));
  const b = viaPathCopy(state, 7, user(9));
  if (JSON.stringify(getContact(a, "c7")) !== JSON.stringify(getContact(b, "c7")) || getOpportunity(a, "o7-2")?.ownerId !== user(9)) throw new Error("immer and path copy differ");

  let i = 0;
  const next = () => {
    i += 1;
    return [(i * STRIDE) % n, user(i)] as const;
  };
  const bench = new Bench(quick ? { time: 100, warmupTime: 50 } : { time: 1500, warmupTime: 300 });
  bench
    .add(`immer ${n}`, () => viaImmer(state, ...next()), { async: false })
    .add(`path copy ${n}`, () => viaPathCopy(state, ...next()), { async: false })
    .add(
      `in place ${n}`,
      () => {
        const [c, owner] = next();
        (plain.contacts.get(contactId(c)) as { ownerId: string | null }).ownerId = owner;
        for (let k = 0; k < 3; k++) (plain.opportunities.get(opportunityId(c, k)) as { ownerId: string | null }).ownerId = owner;
      },
      { async: false },
    );
  await bench.run();
  const us = (name: string) => {
    const r = bench.tasks.find((t) => t.name === name)?.result;
    if (!r || !("latency" in r)) throw new Error(`${name} did not complete`);
    return r.latency.p50 * 1000;
  };
  const [im, pc, ip] = [us(`immer ${n}`), us(`path copy ${n}`), us(`in place ${n}`)];
  rows.push(`| ${n / 1000}k | ${im.toFixed(1)} µs | ${pc.toFixed(1)} µs | ${ip.toFixed(2)} µs | ×${(im / pc).toFixed(1)} |`);
}
process.stdout.write(
  `\nWriting one contact and its 3 opportunities into a snapshot (medians; the id strings are built in every variant):\n\n` +
    `| contacts | immer produce | path copy (the library) | in place (mutable) | immer / path copy |\n|---|--:|--:|--:|--:|\n${rows.join("\n")}\n`,
);
