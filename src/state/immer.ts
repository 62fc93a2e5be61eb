import { Immer } from "immer";

/**
 * The library's own immer instance. Never the global one: `setAutoFreeze` or `enableMapSet`
 * there would change the immer of the host application.
 */
export const immer = new Immer({ autoFreeze: true });
