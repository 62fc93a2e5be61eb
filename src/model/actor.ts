/**
 * Who acts, and when: the host's knowledge, never the command's. A command body usually comes
 * from a client, so it cannot say who sent it; the host passes this beside it.
 */

/**
 * The identity a command runs as: a user of the account, checked against the permissions
 * (docs/permissions.md), or a named system actor (a workflow, an import, the host itself),
 * which is trusted. There is no default: a command without an actor is refused.
 *
 * @example
 * ```ts
 * const fromTheSession: Actor = { userId: "ana" }; // checked: may ana do this?
 * const fromAWorkflow: Actor = { system: "workflow:lead-routing" }; // trusted, and named in every event
 * ```
 */
export type Actor = { readonly userId: string } | { readonly system: string };

/**
 * What the host knows about a command that the command itself cannot be trusted to say: who
 * acts (from the authenticated session, never from the request body) and when (an ISO 8601
 * time from the host's clock, since the library has none). Both are copied onto every event.
 *
 * @example
 * ```ts
 * declare const session: { userId: string }; // from your authentication middleware
 * const context: CommandContext = { actor: { userId: session.userId }, at: "2026-11-30T09:30:00Z" };
 * execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" }, context);
 * ```
 */
export interface CommandContext {
  /** Who acts: a user (checked) or a named system actor (trusted). */
  readonly actor: Actor;
  /** When the host received the command (ISO 8601); copied onto every event. */
  readonly at?: string | undefined;
}

/** The acting user's id, or undefined for a system actor. @internal */
export function actorUserId(actor: Actor): string | undefined {
  return "userId" in actor ? actor.userId : undefined;
}
