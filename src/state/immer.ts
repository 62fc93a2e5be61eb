import { enableArrayMethods, Immer } from "immer";

// Array methods on a draft (`find`, `findIndex`, `splice`, `push`) work on the copy instead of
// making a proxy of every element they read: a follower-list edit costs a third as much
// (docs/performance.md). A plugin of the immer module the package bundles, not of the host's.
enableArrayMethods();

/**
 * The library's own immer instance. Never the global one: `setAutoFreeze` or `enableMapSet`
 * there would change the immer of the host application.
 *
 * immer changes records (an owner, a follower list) as drafts and freezes what it returns. The
 * tables that hold the records are persistent tries changed by path copying (table.ts): immer
 * measured ×10–13 slower there (`npm run bench:immer`, docs/performance.md).
 */
export const immer = new Immer({ autoFreeze: true });
