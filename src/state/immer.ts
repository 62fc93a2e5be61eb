import { Immer } from "immer";

/**
 * The library's own immer instance. Never the global one: `setAutoFreeze` or `enableMapSet`
 * there would change the immer of the host application.
 *
 * immer changes records (an owner, a follower list) as drafts and freezes what it returns. The
 * tables that hold the records are persistent tries changed by path copying (table.ts): immer
 * measured ×10–13 slower there (`npm run bench:immer`, docs/performance.md).
 */
export const immer = new Immer({ autoFreeze: true });
