/**
 * Size limits on untrusted input. They bound the work one command can ask for, so a hostile
 * payload is refused with `INVALID_COMMAND` before it costs anything.
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
  /** Commands in one `executeAll` batch. */
  batch: 100_000,
});
