/** commandSchema: the parser behind the Standard Schema v1 interface. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commandSchema, parseCommand, type Command, type StandardSchemaV1 } from "../src/index.js";
import { arbCommand, arbInvalidCommand } from "../src/testing/index.js";

/** What a framework does with any Standard Schema: only the interface, nothing of the library. */
async function validateLikeAFramework<T>(schema: StandardSchemaV1<unknown, T>, value: unknown) {
  const result = await schema["~standard"].validate(value);
  return result.issues ? { ok: false as const, issues: result.issues } : { ok: true as const, value: result.value };
}

describe("commandSchema", () => {
  it("is a Standard Schema v1 of vendor crm-ownership", () => {
    expect(commandSchema["~standard"].version).toBe(1);
    expect(commandSchema["~standard"].vendor).toBe("crm-ownership");
    expect(typeof commandSchema["~standard"].validate).toBe("function");
  });

  it("returns the parsed command as value", async () => {
    const result = await validateLikeAFramework(commandSchema, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(result).toEqual({ ok: true, value: { type: "assignContactOwner", contactId: "acme", ownerId: "ben" } });
  });

  it.each([
    [{ type: "assignContactOwner", contactId: "acme" }, ["ownerId"]],
    [{ type: "assignUser", contactId: "acme", rotationId: "r", users: [{ userId: "ana", weight: 0 }] }, ["users", 0, "weight"]],
    [{ type: "addFollower", record: { kind: "account", id: "a" }, userId: "ana" }, ["record", "kind"]],
    [{ type: "nope" }, ["type"]],
    ["not an object", []],
  ])("refuses %j with one issue at path %j", (value, path) => {
    const result = commandSchema["~standard"].validate(value);
    expect(result.issues).toHaveLength(1);
    expect(result.issues?.[0]?.path).toEqual(path);
    expect(result.issues?.[0]?.message).toMatch(/^Invalid command/);
  });

  it("property: agrees with parseCommand on valid and invalid payloads, and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(arbCommand({ users: [{ id: "ana" }], contacts: [], opportunities: [] }), arbInvalidCommand()), (payload) => {
        const parsed = parseCommand(payload);
        const result = commandSchema["~standard"].validate(payload);
        if (parsed.ok) expect(result).toEqual({ value: parsed.command });
        else expect(result).toEqual({ issues: [{ message: parsed.error.message, path: expect.any(Array) }] });
      }),
    );
  });

  it("infers Command as its output type", () => {
    const result = commandSchema["~standard"].validate({ type: "deleteContact", contactId: "acme" });
    const command: Command | undefined = result.issues ? undefined : result.value;
    expect(command?.type).toBe("deleteContact");
  });
});
