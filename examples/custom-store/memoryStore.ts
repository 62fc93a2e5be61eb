/**
 * Writing your own `Store`: the whole contract in one small file. This one keeps each account as
 * one document in a `Map` (a stand-in for a team's own storage: a document database, a key-value
 * store, its own SQL schema). docs/integration.md ("Write your own store") walks through it;
 * test/stores/custom-store.test.ts drives it through `runCommand` like the official stores.
 *
 * The rules it keeps, each marked below:
 * 1. `load` reads one consistent snapshot: the command id's outcome if there is one, else the
 *    records (here: the whole account; a real store loads what `needed` names).
 * 2. `commit` is serialised per account (here: a promise chain; SQL: lock the account row), and
 *    inside it checks the command id first, then the version, then writes everything at once.
 * 3. An outcome is kept per command id: committed (its version and events), unchanged, refused;
 *    with the request's `fingerprint` beside it, given back with it, so that `runCommand` can
 *    refuse another request under the same id (`COMMAND_ID_REUSED`).
 */
import {
  createState,
  toRecords,
  type CommitRequest,
  type CommitResult,
  type CrmEvent,
  type CrmRecords,
  type CrmRecordsInit,
  type LoadResult,
  type RecordsNeeded,
  type Store,
  type StoredOutcome,
} from "crm-ownership";

interface Account {
  records: CrmRecords;
  readonly outbox: CrmEvent[];
  /** Rule 3: each command id's outcome, and the fingerprint of the request that made it. */
  readonly outcomes: Map<string, { readonly outcome: StoredOutcome; readonly fingerprint: string | undefined }>;
}

export interface MemoryStore extends Store {
  createAccount(accountId: string, records: CrmRecordsInit): void;
  outbox(accountId: string): readonly CrmEvent[];
}

export function memoryStore(): MemoryStore {
  const accounts = new Map<string, Account>();
  const queues = new Map<string, Promise<unknown>>();
  /** Rule 2: one commit at a time per account. */
  const serialised = <T>(accountId: string, work: () => T): Promise<T> => {
    const run = (queues.get(accountId) ?? Promise.resolve()).then(work);
    queues.set(accountId, run.catch(() => undefined));
    return run;
  };

  return {
    async load(accountId: string, _needed: RecordsNeeded, commandId: string | undefined): Promise<LoadResult> {
      const account = accounts.get(accountId);
      if (account === undefined) return { found: "noAccount" };
      // Rule 1: one snapshot. The records are immutable values, so reading them is consistent.
      const stored = commandId === undefined ? undefined : account.outcomes.get(commandId);
      if (stored !== undefined) return { found: "outcome", ...stored };
      return { found: "records", records: account.records };
    },

    commit(accountId: string, request: CommitRequest): Promise<CommitResult> {
      return serialised(accountId, (): CommitResult => {
        const account = accounts.get(accountId);
        if (account === undefined) return { status: "conflict" };
        // Rule 2: the command id first, inside the serialised section, never in a read before it.
        const seen = request.commandId === undefined ? undefined : account.outcomes.get(request.commandId);
        if (seen !== undefined) return { status: "duplicate", ...seen };
        if (request.kind === "outcome") {
          account.outcomes.set(request.commandId, { outcome: request.outcome, fingerprint: request.fingerprint }); // rule 3: unchanged or refused
          return { status: "committed" };
        }
        if (account.records.version !== request.before.version) return { status: "conflict" };
        // All at once: the rows (here the whole document), the events, the outcome.
        account.records = toRecords(request.after);
        account.outbox.push(...request.events);
        if (request.commandId !== undefined) {
          const outcome: StoredOutcome = { ok: true, version: request.after.version, events: request.events };
          account.outcomes.set(request.commandId, { outcome, fingerprint: request.fingerprint });
        }
        return { status: "committed" };
      });
    },

    createAccount(accountId: string, records: CrmRecordsInit): void {
      if (accounts.has(accountId)) throw new Error(`Account ${accountId} exists already.`);
      accounts.set(accountId, { records: toRecords(createState(records)), outbox: [], outcomes: new Map() });
    },

    outbox: (accountId: string) => accounts.get(accountId)?.outbox ?? [],
  };
}
