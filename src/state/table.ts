/**
 * The storage layout of one kind of record: a two-level hash table of null-prototype objects.
 *
 * Why two levels: immer copies every object on the path to a change. With one flat object of
 * 100k contacts each command would copy 100k keys; with 1,024 buckets it copies the bucket
 * index and one bucket of about a hundred records, so a command costs nearly the same at any
 * size. Why null prototypes: ids are arbitrary strings, and `"__proto__"` must be a plain key.
 * Why `seq`: buckets do not keep insertion order, and `toRecords` must.
 */

/** Records of one bucket, keyed by id. @internal storage layout; use the selectors. */
export type Bucket<T> = { readonly [id: string]: T };

/** A table of records keyed by id, with the order in which they were added. @internal storage layout; use the selectors. */
export interface Table<T> {
  readonly buckets: { readonly [bucket: number]: Bucket<Entry<T>> };
  readonly size: number;
  readonly nextSeq: number;
}

/** A record and its position in the table's order. @internal storage layout; use the selectors. */
export interface Entry<T> {
  readonly seq: number;
  readonly value: T;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableTable<T> = {
  buckets: { [bucket: number]: { [id: string]: Mutable<Entry<T>> } };
  size: number;
  nextSeq: number;
};

const BUCKET_BITS = 10;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;

/** FNV-1a, folded to a bucket number. Deterministic across runtimes. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & BUCKET_MASK;
}

/** A dictionary without a prototype, so any string is an ordinary key. */
export function dict<T>(): { [key: string]: T } {
  return Object.create(null) as { [key: string]: T };
}

/** An empty table. */
export function emptyTable<T>(): Table<T> {
  return { buckets: dict(), size: 0, nextSeq: 0 };
}

/** The record with this id, or `undefined`. */
export function getRow<T>(table: Table<T>, id: string): T | undefined {
  const bucket = table.buckets[bucketOf(id)];
  return bucket === undefined ? undefined : (Object.hasOwn(bucket, id) ? bucket[id]?.value : undefined);
}

/** Whether a record with this id exists. */
export function hasRow<T>(table: Table<T>, id: string): boolean {
  const bucket = table.buckets[bucketOf(id)];
  return bucket !== undefined && Object.hasOwn(bucket, id);
}

/**
 * Inserts or replaces a record in a table that may be mutated (a fresh table or an immer
 * draft). A replaced record keeps its place in the order.
 */
export function putRow<T>(table: Table<T>, id: string, value: T): void {
  const t = table as MutableTable<T>;
  const key = bucketOf(id);
  let bucket = t.buckets[key];
  if (bucket === undefined) {
    bucket = dict();
    t.buckets[key] = bucket;
  }
  const entry = Object.hasOwn(bucket, id) ? bucket[id] : undefined;
  if (entry !== undefined) {
    entry.value = value;
    return;
  }
  bucket[id] = { seq: t.nextSeq, value };
  t.nextSeq += 1;
  t.size += 1;
}

/**
 * The record with this id from a table being mutated, for in-place changes. Reading through
 * this (not `getRow`) on an immer draft returns the draft of the record.
 */
export function draftRow<T>(table: Table<T>, id: string): Mutable<T> | undefined {
  return getRow(table, id) as Mutable<T> | undefined;
}

/** Removes a record from a table that may be mutated. */
export function deleteRow<T>(table: Table<T>, id: string): void {
  const t = table as MutableTable<T>;
  const key = bucketOf(id);
  const bucket = t.buckets[key];
  if (bucket === undefined || !Object.hasOwn(bucket, id)) return;
  delete bucket[id];
  t.size -= 1;
}

/** Every record, in the order they were added. O(n log n); for reads, not for hot paths. */
export function rows<T>(table: Table<T>): T[] {
  const entries: Entry<T>[] = [];
  for (const key in table.buckets) {
    const bucket = table.buckets[key as unknown as number];
    if (bucket === undefined) continue;
    for (const id in bucket) {
      const entry = bucket[id];
      if (entry !== undefined) entries.push(entry);
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  return entries.map((entry) => entry.value);
}

/** Visits every record in no particular order: for scans that do not need the order. */
export function forEachRow<T>(table: Table<T>, visit: (value: T) => void): void {
  for (const key in table.buckets) {
    const bucket = table.buckets[key as unknown as number];
    if (bucket === undefined) continue;
    for (const id in bucket) {
      const entry = bucket[id];
      if (entry !== undefined) visit(entry.value);
    }
  }
}
