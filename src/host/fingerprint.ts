/**
 * What makes a second delivery of a `commandId` the same request: who sent it, and what it said.
 *
 * Why: a `commandId` comes from the request, so anyone can send one that is already taken. If the
 * stored outcome of a command id were returned to whoever sends it next, another user could read
 * the events of a command they may not see, or turn someone else's command into a silent no-op.
 * So the stores keep, beside each outcome, the fingerprint of the request that made it, and
 * `runCommand` returns an outcome only to a request with the same fingerprint; any other gets
 * `COMMAND_ID_REUSED` and learns nothing (docs/integration.md, "Exactly once per commandId").
 */
import type { Command } from "../commands/command.js";
import type { Actor } from "../model/actor.js";

/**
 * The fingerprint of a request: the format's version (`v1`, so that a later release can tell the
 * fingerprints it did not make), its actor in full (`user:ana`, `system:import`), compared exactly,
 * and a 64-bit hash of the command as parsed, with its keys sorted (a client that serialises the
 * same command in another key order sends the same request; one that leaves out a field it gave
 * before, even at its default value, sends another). `context.at` is not part of it: a retry is
 * sent later. Not a cryptographic hash: it tells a client's mistake (one id, two commands) apart;
 * what keeps other users out is the actor, which is not hashed. @internal
 */
export function requestFingerprint(actor: Actor, command: Command): string {
  const who = "userId" in actor ? `user:${actor.userId}` : `system:${actor.system}`;
  return `${FORMAT}:${who}#${hash64(canonicalJson(command))}`;
}

/** The fingerprints' format: change it with what goes into them, never silently. */
const FORMAT = "v1";

/** JSON with every object's keys sorted; `undefined` members left out, as `JSON.stringify` does. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const members: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
    }
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Two 32-bit multiply-xorshift lanes over the UTF-16 code units, each mixed into the other at the
 * end: 16 hex digits. Deterministic across runtimes, and no Node built-in (the core runs anywhere).
 */
function hash64(text: string): string {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x9e3779b1);
    b = Math.imul(b ^ unit, 0x5f356495);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return hex(a) + hex(b);
}

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");
