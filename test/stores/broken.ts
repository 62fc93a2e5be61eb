/**
 * A deliberately broken store, so the multi-process checks are seen catching the bug the 0.1
 * example host had: it looks the command id up in a read of its own, before (and outside) the
 * transaction that loads and commits, and records it after. Two copies delivered at the same
 * moment both pass the look-up; the second then loads the first's result and commits again.
 * The pause between look-up and load stands for a network round trip to a database server.
 */
import type { RecordsNeeded, Store } from "../../src/index.js";

const NOTHING: RecordsNeeded = { load: "records", contactIds: [], opportunityIds: [], userIds: [], rotationIds: [], allUsers: false };
const roundTrip = () => new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 2));

export function dedupeOutsideTransaction(inner: Store): Store {
  return {
    async load(accountId, needed, commandId) {
      if (commandId !== undefined) {
        const seen = await inner.load(accountId, NOTHING, commandId);
        if (seen.found === "outcome") return seen;
        await roundTrip();
      }
      return inner.load(accountId, needed, undefined);
    },
    async commit(accountId, request) {
      if (request.commandId === undefined || request.kind === "outcome") return inner.commit(accountId, request);
      // The bug: no command-id check inside the committing transaction.
      const done = await inner.commit(accountId, { ...request, commandId: undefined });
      if (done.status === "committed") {
        await inner.commit(accountId, { kind: "outcome", commandId: request.commandId, fingerprint: request.fingerprint ?? "", outcome: { ok: true, version: request.after.version, events: request.events } });
      }
      return done;
    },
    ...(inner.pause === undefined ? {} : { pause: (attempt: number) => (inner.pause as (a: number) => Promise<void>)(attempt) }),
  };
}
