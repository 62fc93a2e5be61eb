/**
 * The storage layout of one kind of record: a persistent hash trie of plain arrays.
 *
 * Why a trie: a new snapshot must share everything a command did not change, and copy only the
 * path to what it did. Each id hashes to a path of 32-way branches ending in a small bucket (at
 * most 16 records; a fuller bucket splits into a branch). A change copies one bucket and the
 * two to four branches above it — under two hundred slots, whatever the size of the account —
 * so a command costs about the same on a thousand contacts as on a million, and a snapshot stays
 * plain, frozen, JSON-serialisable data.
 *
 * Why flat arrays: a bucket holds `hash, seq, record, hash, seq, record, …` (no entry objects),
 * and a branch is an array of 34 slots (32 children and two unused), a length no bucket has, so
 * no wrapper object tells them apart. Fewer objects: less to allocate, freeze and collect. The
 * hash is kept so that a lookup compares numbers in the bucket itself and reads only the record
 * it finds: on a large account, every record read is a cache miss.
 *
 * Why not immer: immer's `produce` re-checks every child of every object it copies when it
 * freezes the result, and its proxies cost more than the copy itself (docs/performance.md has
 * the numbers). `TableEdit` copies each node on a changed path once per commit, changes its own
 * copies in place, and freezes them at the end.
 *
 * Why `seq`: hashing loses insertion order, and `toRecords` and the list selectors keep it.
 */
import { appended } from "./atLength.js";
import { deepFreeze } from "./freeze.js";

/**
 * A leaf of the trie: `hash, seq, record` triples, at most 16 (more only when hashes collide).
 * @internal storage layout, not public API; read records through the selectors.
 */
export type Bucket<T> = readonly (number | T)[];

/** An inner node of the trie: 32 slots (each a node or empty) and two unused slots. @internal */
export type Branch<T> = readonly (Node<T> | null)[];

/** A node of the trie: a bucket (a multiple of 3 long) or a branch (34 long). @internal */
export type Node<T> = Bucket<T> | Branch<T>;

/**
 * A table of records keyed by id, with the order in which they were added.
 * @internal storage layout, not public API; read records through the selectors.
 */
export interface Table<T> {
  readonly root: Node<T>;
  readonly size: number;
  readonly nextSeq: number;
}

/** Inside this module every node is an array of unknowns; the types above are for readers. */
type MutableNode = unknown[];
type MutableTable<T> = { root: Node<T>; size: number; nextSeq: number };

const BITS = 5;
const MASK = (1 << BITS) - 1;
const BRANCH_LENGTH = (1 << BITS) + 2;
/** Records per bucket before it splits into a branch (16: fewer levels, so fewer cache misses). */
const BUCKET_SIZE = 16;
/** A branch at this shift still has hash bits to split on (30 is the last, with 2 bits). */
const MAX_SHIFT = 30;

/**
 * Every record stored in a table has a string `id`; tables find records by it. A table of
 * strings (a set of ids: the user index, userIndex.ts) stores each id as its own key.
 */
const idOf = (value: unknown): string => (typeof value === "string" ? value : (value as { readonly id: string }).id);
const isBranch = (node: readonly unknown[]): boolean => node.length === BRANCH_LENGTH;
/** The bucket of a slot no record has reached yet. */
const NO_ROWS: readonly unknown[] = Object.freeze([]);

/**
 * FNV-1a over the id's UTF-16 code units, as a signed 32-bit integer (a small integer to V8, so
 * stored unboxed in a bucket). Deterministic across runtimes.
 */
export function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** An empty table. */
export function emptyTable<T>(): Table<T> {
  return { root: [], size: 0, nextSeq: 0 };
}

/** The bucket where a record with this hash is, if anywhere, or `undefined`. */
function bucketOf(table: Table<unknown>, hash: number): readonly unknown[] | undefined {
  let node = table.root as readonly unknown[];
  let shift = 0;
  while (isBranch(node)) {
    const child = node[(hash >>> shift) & MASK] as readonly unknown[] | null;
    if (child === null) return undefined;
    node = child;
    shift += BITS;
  }
  return node;
}

/** Where the record with this id is in its bucket (the index of its hash), or -1. */
function slotOf(bucket: readonly unknown[], hash: number, id: string): number {
  for (let i = 0; i < bucket.length; i += 3) {
    if (bucket[i] === hash && idOf(bucket[i + 2]) === id) return i;
  }
  return -1;
}

/** The record with this id, or `undefined`. */
export function getRow<T>(table: Table<T>, id: string): T | undefined {
  const hash = hashOf(id);
  const bucket = bucketOf(table, hash);
  return bucket === undefined ? undefined : rowIn<T>(bucket, hash, id);
}

/**
 * The records with these ids, pushed onto `out` in the order of `ids` (`undefined` where there is
 * none): what `getRow` gives for each, but walking the trie for up to four ids side by side,
 * level by level. On a large account every node read is a cache miss, and walked one id after the other
 * the misses wait for each other; side by side the processor overlaps them. A contact's
 * opportunities are read this way (docs/performance.md has the figures).
 */
export function getRows<T>(table: Table<T>, ids: readonly string[], out: (T | undefined)[]): void {
  // Four walks in local variables, not arrays: the loads stay independent and in registers. An
  // id past the end walks nothing (its node is the empty bucket, not a branch).
  for (let from = 0; from < ids.length; from += 4) {
    const count = ids.length - from;
    const h0 = hashOf(ids[from] as string);
    const h1 = count > 1 ? hashOf(ids[from + 1] as string) : 0;
    const h2 = count > 2 ? hashOf(ids[from + 2] as string) : 0;
    const h3 = count > 3 ? hashOf(ids[from + 3] as string) : 0;
    const root = table.root as readonly unknown[];
    let n0 = root;
    let n1 = count > 1 ? root : NO_ROWS;
    let n2 = count > 2 ? root : NO_ROWS;
    let n3 = count > 3 ? root : NO_ROWS;
    for (let shift = 0; isBranch(n0) || isBranch(n1) || isBranch(n2) || isBranch(n3); shift += BITS) {
      if (isBranch(n0)) n0 = childOf(n0, h0, shift);
      if (isBranch(n1)) n1 = childOf(n1, h1, shift);
      if (isBranch(n2)) n2 = childOf(n2, h2, shift);
      if (isBranch(n3)) n3 = childOf(n3, h3, shift);
    }
    out.push(rowIn<T>(n0, h0, ids[from] as string));
    if (count > 1) out.push(rowIn<T>(n1, h1, ids[from + 1] as string));
    if (count > 2) out.push(rowIn<T>(n2, h2, ids[from + 2] as string));
    if (count > 3) out.push(rowIn<T>(n3, h3, ids[from + 3] as string));
  }
}

/** The child of a branch on the path of `hash`, or the empty bucket. */
const childOf = (branch: readonly unknown[], hash: number, shift: number): readonly unknown[] =>
  (branch[(hash >>> shift) & MASK] as readonly unknown[] | null) ?? NO_ROWS;

/** The record with this id in a bucket, or `undefined`. */
function rowIn<T>(bucket: readonly unknown[], hash: number, id: string): T | undefined {
  const at = slotOf(bucket, hash, id);
  return at < 0 ? undefined : (bucket[at + 2] as T);
}

/**
 * The place of the record with this id in the table's order (its `seq`: larger is later), or
 * `undefined`.
 */
export function seqOf<T>(table: Table<T>, id: string): number | undefined {
  const hash = hashOf(id);
  const bucket = bucketOf(table, hash);
  const at = bucket === undefined ? -1 : slotOf(bucket, hash, id);
  return at < 0 ? undefined : ((bucket as readonly unknown[])[at + 1] as number);
}

/**
 * Inserts or replaces `value` under `id`, changing nodes in place; the record it replaced. `own` is the set of nodes the
 * caller may change (a `TableEdit`'s copies); without it every node may change (a table being
 * built, before it is frozen).
 */
function put<T>(table: MutableTable<T>, id: string, value: T, own: Set<unknown> | undefined): T | undefined {
  const hash = hashOf(id);
  let parent: MutableNode | undefined;
  let slot = 0;
  let shift = 0;
  // Branches on the path are the caller's (copied once); the bucket is read first, and copied
  // only to replace a record: an insert makes the bucket anew.
  let node = table.root as readonly unknown[];
  while (isBranch(node)) {
    const branch = mine(node, own);
    if (parent === undefined) table.root = branch as Node<T>;
    else parent[slot] = branch;
    parent = branch;
    slot = (hash >>> shift) & MASK;
    node = (branch[slot] as readonly unknown[] | null) ?? NO_ROWS;
    shift += BITS;
  }
  let placed: MutableNode;
  let previous: T | undefined;
  // Not `slotOf`: it sees frozen buckets only, and a caller's copy would make its reads polymorphic
  // (measured: 7% on a batch with owners separate).
  let at = -1;
  for (let i = 0; i < node.length && at < 0; i += 3) if (node[i] === hash && idOf(node[i + 2]) === id) at = i;
  if (at >= 0) {
    placed = mine(node, own);
    previous = placed[at + 2] as T;
    placed[at + 2] = value;
  } else {
    table.nextSeq += 1;
    table.size += 1;
    const grown = appended<unknown>(node, hash, table.nextSeq - 1, value);
    placed = grown.length > 3 * BUCKET_SIZE && shift <= MAX_SHIFT ? split(grown, shift, own) : fresh(grown, own);
  }
  if (parent === undefined) table.root = placed as Node<T>;
  else parent[slot] = placed;
  return previous;
}

/** A node the caller may change: the node itself, or (when it is not the caller's) a copy. */
function mine(node: readonly unknown[], own: Set<unknown> | undefined): MutableNode {
  if (own === undefined || own.has(node)) return node as MutableNode;
  // Spread, not slice(): Node 20 copies frozen arrays with slice() on a slow path (~20× slower).
  return fresh([...node], own);
}

function fresh(node: MutableNode, own: Set<unknown> | undefined): MutableNode {
  own?.add(node);
  return node;
}

/** A full bucket becomes a branch of buckets, split on the next bits of the hashes. */
function split(bucket: MutableNode, shift: number, own: Set<unknown> | undefined): MutableNode {
  const branch = fresh(new Array<unknown>(BRANCH_LENGTH).fill(null), own);
  for (let i = 0; i < bucket.length; i += 3) {
    const hash = bucket[i] as number;
    const slot = (hash >>> shift) & MASK;
    let child = branch[slot] as MutableNode | null;
    if (child === null) branch[slot] = child = fresh([], own);
    child.push(hash, bucket[i + 1], bucket[i + 2]);
  }
  // All of them in one slot (equal hash bits): split that bucket again, one level down.
  for (let slot = 0; slot <= MASK; slot++) {
    const child = branch[slot] as MutableNode | null;
    if (child !== null && child.length > 3 * BUCKET_SIZE && shift + BITS <= MAX_SHIFT) branch[slot] = split(child, shift + BITS, own);
  }
  return branch;
}

/**
 * Changes to a frozen table, made on copies: each node on a changed path is copied once, then
 * changed in place; `finish` freezes the copies and the new records. The base is never touched.
 */
export class TableEdit<T> {
  readonly #base: Table<T>;
  readonly #table: MutableTable<T>;
  /** The nodes this edit created: its own to change until `finish` freezes them. */
  readonly #own = new Set<unknown>();

  constructor(base: Table<T>) {
    this.#base = base;
    this.#table = { root: base.root, size: base.size, nextSeq: base.nextSeq };
  }

  /**
   * Inserts or replaces a record; a replaced record keeps its place in the order. The record it
   * replaced, if any (one walk down the trie: the commit reads what a change replaced from it).
   */
  put(id: string, value: T): T | undefined {
    return put(this.#table, id, deepFreeze(value), this.#own);
  }

  /** Removes the record with this id, if there is one; that record. */
  delete(id: string): T | undefined {
    const previous = getRow(this.#table, id);
    if (previous === undefined) return undefined;
    const hash = hashOf(id);
    let shift = 0;
    let node = mine(this.#table.root, this.#own);
    this.#table.root = node as Node<T>;
    while (isBranch(node)) {
      const parent = node;
      const slot = (hash >>> shift) & MASK;
      node = mine(parent[slot] as MutableNode, this.#own);
      parent[slot] = node;
      shift += BITS;
    }
    for (let i = 0; i < node.length; i += 3) {
      if (node[i] === hash && idOf(node[i + 2]) === id) {
        node.splice(i, 3);
        break;
      }
    }
    this.#table.size -= 1;
    return previous;
  }

  /** The new table, every node it made frozen; the base itself when nothing changed. */
  finish(): Table<T> {
    if (this.#own.size === 0) return this.#base;
    for (const node of this.#own) Object.freeze(node);
    return Object.freeze({ ...this.#table });
  }
}

/**
 * Inserts or replaces a record in a table being built (by `createState`, before the snapshot is
 * frozen). A replaced record keeps its place in the order.
 */
export function putRow<T>(table: Table<T>, id: string, value: T): void {
  put(table as MutableTable<T>, id, value, undefined);
}

/**
 * A frozen table of `values` (keyed by `ids`, in that order), built in one pass: the records are
 * partitioned on their hash bits level by level (a counting sort per branch), so every node is
 * made once, at its final size, instead of growing bucket by bucket and splitting as `putRow`
 * does; the layout is the one `putRow` would give. Ids must be distinct, unless `dedupe`: a
 * repeated id is then kept once, its first time (a set of ids), and a function `dedupe` is told
 * the index of each repeat it dropped (the duplicate check of `createState`, without a `Map`).
 * The values are stored as they are (frozen by the caller).
 */
export function buildTable<T>(ids: readonly string[], values: readonly T[], dedupe: boolean | ((index: number) => void) = false): Table<T> {
  const n = ids.length;
  const hashes = new Int32Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    hashes[i] = hashOf(ids[i] as string);
    order[i] = i;
  }
  const build = { hashes, values: values as readonly unknown[], ids, order, scratch: new Int32Array(n), bucket: [], dedupe, size: 0 };
  const root = n === 0 ? Object.freeze([]) : buildNode(build, 0, n, 0);
  return Object.freeze({ root: root as Node<T>, size: build.size, nextSeq: n });
}

interface Build {
  readonly hashes: Int32Array;
  readonly values: readonly unknown[];
  readonly ids: readonly string[];
  /** The records of the node being built are `order[from..to)`, in insertion order. */
  readonly order: Int32Array;
  readonly scratch: Int32Array;
  /** Where a bucket is filled before it is copied at its final length. */
  readonly bucket: unknown[];
  readonly dedupe: boolean | ((index: number) => void);
  size: number;
}

function buildNode(b: Build, from: number, to: number, shift: number): readonly unknown[] {
  const { hashes, order } = b;
  if (to - from <= BUCKET_SIZE || shift > MAX_SHIFT) {
    // Filled in the build's scratch array, then copied at its final length: an array grown by
    // `push` keeps the spare capacity of its last growth (a third of a full bucket), for good.
    const bucket = b.bucket;
    let length = 0;
    next: for (let k = from; k < to; k++) {
      const i = order[k] as number;
      if (b.dedupe !== false) {
        for (let j = 0; j < length; j += 3) {
          if (bucket[j] !== hashes[i] || b.ids[bucket[j + 1] as number] !== b.ids[i]) continue;
          if (b.dedupe !== true) b.dedupe(i);
          continue next;
        }
      }
      bucket[length] = hashes[i];
      bucket[length + 1] = i;
      bucket[length + 2] = b.values[i];
      length += 3;
    }
    b.size += length / 3;
    return Object.freeze(bucket.slice(0, length));
  }
  // A stable counting sort of the records on this level's slot, into `scratch`, then back.
  const starts = new Int32Array(MASK + 2);
  for (let k = from; k < to; k++) {
    const at = (((hashes[order[k] as number] as number) >>> shift) & MASK) + 1;
    starts[at] = (starts[at] as number) + 1;
  }
  for (let slot = 0; slot <= MASK; slot++) starts[slot + 1] = (starts[slot + 1] as number) + (starts[slot] as number);
  const ends = starts.slice();
  for (let k = from; k < to; k++) {
    const i = order[k] as number;
    const slot = ((hashes[i] as number) >>> shift) & MASK;
    b.scratch[from + (ends[slot] as number)] = i;
    ends[slot] = (ends[slot] as number) + 1;
  }
  order.set(b.scratch.subarray(from, to), from);
  const branch = new Array<unknown>(BRANCH_LENGTH).fill(null);
  for (let slot = 0; slot <= MASK; slot++) {
    const start = from + (starts[slot] as number);
    const end = from + (starts[slot + 1] as number);
    if (end > start) branch[slot] = buildNode(b, start, end, shift + BITS);
  }
  return Object.freeze(branch);
}

/** Every record, in the order they were added. O(n); for reads, not for hot paths. */
export function rows<T>(table: Table<T>): T[] {
  return mapRows(table, (value) => value);
}

/**
 * `rows(table).map(fn)`, but records are visited in the trie's order, which is close to their
 * order in memory (on a large account, visiting them in insertion order is a cache miss each);
 * the results are placed by `seq`, so they come out in insertion order all the same.
 */
export function mapRows<T, U>(table: Table<T>, fn: (value: T) => U): U[] {
  // Placed by `seq`, so no sort; deleted records leave holes, which are skipped.
  const bySeq = new Array<U | undefined>(table.nextSeq);
  visitBuckets(table.root, (bucket) => {
    for (let i = 0; i < bucket.length; i += 3) bySeq[bucket[i + 1] as number] = fn(bucket[i + 2] as T);
  });
  if (table.size === table.nextSeq) return bySeq as U[];
  const out: U[] = [];
  for (let i = 0; i < bySeq.length; i++) {
    const value = bySeq[i];
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * Calls `fn` on every record, in the trie's order (not the insertion order): for sets, whose
 * order does not matter, and whose `seq`s can run far ahead of their size.
 */
export function forEachRow<T>(table: Table<T>, fn: (value: T) => void): void {
  visitBuckets(table.root, (bucket) => {
    for (let i = 2; i < bucket.length; i += 3) fn(bucket[i] as T);
  });
}

function visitBuckets(node: readonly unknown[], visit: (bucket: readonly unknown[]) => void): void {
  if (!isBranch(node)) return visit(node);
  for (let slot = 0; slot <= MASK; slot++) {
    const child = node[slot] as readonly unknown[] | null;
    if (child !== null) visitBuckets(child, visit);
  }
}
