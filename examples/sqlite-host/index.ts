/**
 * A reference host for crm-ownership on SQLite (better-sqlite3): the tables, the load of exactly
 * what a command needs, the load → execute → commit loop with optimistic concurrency, and the
 * outbox. See docs/integration.md.
 */
export { openDatabase, SCHEMA, type Db } from "./schema.js";
export { load, loadAccount, readRecords, type Loaded } from "./load.js";
export { commit, createAccount, WRITE_STEPS, type Commit, type WriteStep } from "./write.js";
export { handle, type HandleOptions, type HandleResult, type HostError, type HostHooks } from "./handle.js";
export { eventsOfCommand, readEvents, relay, type OutboxEntry } from "./outbox.js";
