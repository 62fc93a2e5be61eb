/**
 * Size limits on untrusted input. They bound the work one command can ask for, so a hostile
 * payload is refused with `INVALID_COMMAND` before it costs anything.
 *
 * @example
 * ```ts
 * const batches = (commands: readonly Command[]) =>
 *   Array.from({ length: Math.ceil(commands.length / LIMITS.batch) }, (_, i) => commands.slice(i * LIMITS.batch, (i + 1) * LIMITS.batch));
 * LIMITS.idLength; // 256: longer ids are refused with INVALID_COMMAND
 * ```
 */
export const LIMITS = Object.freeze({
  /** Characters in an id. */
  idLength: 256,
  /** Ids in one `followerIds` list. */
  followerIds: 1_000,
  /** Members of one rotation. */
  rotationUsers: 1_000,
  /** The weight of one rotation member. */
  weight: 1_000,
  /** Contacts in one `transferOwnership`'s `contactIds` (one chunk of a bulk run: docs/integration.md). */
  transferContactIds: 10_000,
  /** Commands in one `executeAll` batch. */
  batch: 100_000,
});
