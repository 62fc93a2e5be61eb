import { Immer } from "immer";

/**
 * The library's own immer instance. Never the global one: `setAutoFreeze` or `enableMapSet`
 * there would change the immer of the host application.
 *
 * immer edits a follow inside a follower list (its source changed) as a draft and freezes what
 * it returns. Adding or removing a follow, the edits commands make by the thousand, is a plain
 * copy (evolve.ts): a removal through a draft allocated about 2 KB, its copy about 120 bytes.
 * The tables that hold the records are persistent tries changed by path copying (table.ts):
 * immer measured ×10–13 slower there (`npm run bench:immer`, docs/performance.md).
 */
export const immer = new Immer({ autoFreeze: true });
