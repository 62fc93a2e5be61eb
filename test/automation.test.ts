/**
 * docs/rules.md §10–§11, the workflow actions: assignUser, addOpportunityOwner, removeOpportunityOwner,
 * removeAssignedUser, and assignContactOwner's `transfer` handover. They go through the same
 * owner rules (docs/rules.md §3–§5) as a person's commands.
 */
import { describe, expect, it } from "vitest";
import {
  createState,
  execute,
  getContact,
  getOpportunity,
  parseCommand,
  toRecords,
  type Command,
  type CrmState,
} from "../src/index.js";
import { account, brief, COUPLED, owners, run, SEPARATE, SYSTEM } from "./helpers.js";
import { given } from "./spec.js";

describe("assignUser", () => {
  it("sets a contact's owner to the rotation's pick; with coupled owners the opportunities follow", () => {
    const state = account(COUPLED, { contacts: [{ id: "acme", ownerId: null }], opportunities: [{ id: "d1", contactId: "acme" }, { id: "d2", contactId: "acme" }] });
    const result = given(state).when({ type: "assignUser", contactId: "acme", users: [{ userId: "ben" }, { userId: "cy" }], rotationId: "r" }).then([
      "ContactOwnerChanged acme null→ben command",
      "OpportunityOwnerChanged d1 null→ben owners-coupled",
      "OpportunityOwnerChanged d2 null→ben owners-coupled",
      "RotationAdvanced command",
    ]);
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });

  it("with separate owners it changes the contact only", () => {
    const result = run(account(SEPARATE), { type: "assignUser", contactId: "acme", users: [{ userId: "ben" }], rotationId: "r" });
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ana", d2: "ana" });
  });

  it("refuses an unknown contact with CONTACT_NOT_FOUND", () => {
    const result = execute(account(SEPARATE), { type: "assignUser", contactId: "nope", users: [{ userId: "ben" }], rotationId: "r" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "CONTACT_NOT_FOUND", id: "nope" });
  });

  it("applies the opportunity-follower subsetting as a person's assignment would", () => {
    const state = account({ ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true });
    const result = run(state, { type: "assignUser", contactId: "acme", users: [{ userId: "ben" }], rotationId: "r" });
    const byPerson = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    expect(getOpportunity(result.state, "d1")?.followers).toEqual([{ userId: "ben", source: "automation" }]);
    expect(getOpportunity(result.state, "d2")?.followers).toEqual([{ userId: "ben", source: "automation" }]);
    // Same changes as assignContactOwner, plus the rotation's own event after the owner change.
    expect(brief(result.events).filter((line) => !line.startsWith("RotationAdvanced"))).toEqual(brief(byPerson.events));
    expect(brief(result.events)[1]).toBe("RotationAdvanced command");
  });
});

describe("addOpportunityOwner", () => {
  it("by userId with coupled owners sets the whole group's owner", () => {
    const result = given(account(COUPLED)).when({ type: "addOpportunityOwner", opportunityId: "d2", userId: "ben" }).then([
      "OpportunityOwnerChanged d2 ana→ben command",
      "ContactOwnerChanged acme ana→ben owners-coupled",
      "OpportunityOwnerChanged d1 ana→ben owners-coupled",
    ]);
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });

  it("by userId with separate owners sets that opportunity's owner only", () => {
    const result = run(account(SEPARATE), { type: "addOpportunityOwner", opportunityId: "d2", userId: "ben" });
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ana", d1: "ana", d2: "ben" });
  });

  it("by rotation picks the next user of the rotation", () => {
    let state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme" }, { id: "d2", contactId: "acme" }] });
    const users = [{ userId: "cy", weight: 1 }, { userId: "ben", weight: 1 }];
    state = run(state, { type: "addOpportunityOwner", opportunityId: "d1", users, rotationId: "deals" }).state;
    state = run(state, { type: "addOpportunityOwner", opportunityId: "d2", users, rotationId: "deals" }).state;
    expect(owners(state, "acme", "d1", "d2")).toEqual({ acme: "ana", d1: "cy", d2: "ben" });
  });

  it("by rotation with coupled owners moves the group to the pick", () => {
    const result = run(account(COUPLED), { type: "addOpportunityOwner", opportunityId: "d1", users: [{ userId: "cy" }], rotationId: "deals" });
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "cy", d1: "cy", d2: "cy" });
  });

  it("applies the contact-follower subsetting as a person's assignment would", () => {
    const state = account({ ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true });
    const result = given(state).when({ type: "addOpportunityOwner", opportunityId: "d1", userId: "ben" }).then([
      "OpportunityOwnerChanged d1 ana→ben command",
      "FollowerAdded contact:acme ben automation opportunity-owner-followers",
    ]);
    expect(getContact(result.state, "acme")?.followers).toEqual([{ userId: "ben", source: "automation" }]);
  });

  it("the follower subsettings have no effect while owners are coupled", () => {
    const state = account({ ...COUPLED, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true });
    const result = run(state, { type: "addOpportunityOwner", opportunityId: "d1", userId: "ben" });
    expect(result.events.filter((e) => e.type === "FollowerAdded")).toEqual([]);
  });

  it("onlyIfUnassigned with a userId leaves an owned opportunity as it is", () => {
    const state = account(SEPARATE);
    const result = execute(state, { type: "addOpportunityOwner", opportunityId: "d1", userId: "ben", onlyIfUnassigned: true }, SYSTEM);
    expect(result).toEqual({ ok: true, state, events: [] });
  });

  it("onlyIfUnassigned with a userId assigns an unassigned opportunity", () => {
    const state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: null }] });
    const result = run(state, { type: "addOpportunityOwner", opportunityId: "d1", userId: "ben", onlyIfUnassigned: true });
    expect(getOpportunity(result.state, "d1")?.ownerId).toBe("ben");
  });

  it("refuses an unknown user with USER_NOT_FOUND and an inactive one with USER_INACTIVE", () => {
    const state = account(SEPARATE);
    const unknown = execute(state, { type: "addOpportunityOwner", opportunityId: "d1", userId: "ghost" }, SYSTEM);
    const inactive = execute(state, { type: "addOpportunityOwner", opportunityId: "d1", userId: "gone" }, SYSTEM);
    expect(unknown.ok ? undefined : unknown.error).toMatchObject({ code: "USER_NOT_FOUND", field: "userId", id: "ghost" });
    expect(inactive.ok ? undefined : inactive.error).toMatchObject({ code: "USER_INACTIVE", field: "userId", id: "gone" });
  });

  it("refuses an unknown opportunity with OPPORTUNITY_NOT_FOUND", () => {
    const result = execute(account(SEPARATE), { type: "addOpportunityOwner", opportunityId: "nope", userId: "ben" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "OPPORTUNITY_NOT_FOUND", id: "nope" });
  });

  describe("takes either a userId or users with a rotationId", () => {
    const cases: [string, Record<string, unknown>][] = [
      ["both a userId and a rotation", { userId: "ben", users: [{ userId: "cy" }], rotationId: "r" }],
      ["neither", {}],
      ["users without a rotationId", { users: [{ userId: "cy" }] }],
      ["a rotationId without users", { rotationId: "r" }],
      ["a userId and a rotationId", { userId: "ben", rotationId: "r" }],
    ];
    for (const [name, fields] of cases) {
      it(`${name}: INVALID_COMMAND from parseCommand and from execute`, () => {
        const input = { type: "addOpportunityOwner", opportunityId: "d1", ...fields };
        const parsed = parseCommand(input);
        expect(parsed.ok ? undefined : parsed.error.code).toBe("INVALID_COMMAND");
        expect(parsed.ok ? undefined : parsed.error.field).toMatch(/^(userId|users|rotationId)$/);
        const result = execute(account(SEPARATE), input as unknown as Command, SYSTEM);
        expect(result.ok ? undefined : result.error.code).toBe("INVALID_COMMAND");
      });
    }
  });
});

describe("removeOpportunityOwner", () => {
  it("with separate owners unassigns the opportunity only", () => {
    const result = given(account(SEPARATE)).when({ type: "removeOpportunityOwner", opportunityId: "d1" }).then(["OpportunityOwnerChanged d1 ana→null command"]);
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ana", d1: null, d2: "ana" });
  });

  it("with coupled owners unassigns the whole group", () => {
    const result = run(account(COUPLED), { type: "removeOpportunityOwner", opportunityId: "d1" });
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: null, d1: null, d2: null });
  });

  it("refuses an unknown opportunity with OPPORTUNITY_NOT_FOUND", () => {
    const result = execute(account(SEPARATE), { type: "removeOpportunityOwner", opportunityId: "nope" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "OPPORTUNITY_NOT_FOUND", field: "opportunityId", id: "nope" });
  });

  it("on an unassigned opportunity is a no-op that returns the same state", () => {
    const state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: null }] });
    expect(execute(state, { type: "removeOpportunityOwner", opportunityId: "d1" }, SYSTEM)).toEqual({ ok: true, state, events: [] });
  });

  it("removes the previous owner's automatic contact follow when they own no other opportunity", () => {
    const state = account(
      { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true },
      {
        contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "automation" }] }],
        opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ana" }],
      },
    );
    const result = run(state, { type: "removeOpportunityOwner", opportunityId: "d1" });
    expect(getContact(result.state, "acme")?.followers).toEqual([]);
  });
});

describe("removeAssignedUser", () => {
  it("with separate owners unassigns the contact only", () => {
    const result = given(account(SEPARATE)).when({ type: "removeAssignedUser", contactId: "acme" }).then(["ContactOwnerChanged acme ana→null command"]);
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: null, d1: "ana", d2: "ana" });
  });

  it("with coupled owners unassigns the whole group", () => {
    const result = given(account(COUPLED)).when({ type: "removeAssignedUser", contactId: "acme" }).then([
      "ContactOwnerChanged acme ana→null command",
      "OpportunityOwnerChanged d1 ana→null owners-coupled",
      "OpportunityOwnerChanged d2 ana→null owners-coupled",
    ]);
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: null, d1: null, d2: null });
  });

  it("refuses an unknown contact with CONTACT_NOT_FOUND", () => {
    const result = execute(account(SEPARATE), { type: "removeAssignedUser", contactId: "nope" }, SYSTEM);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: "CONTACT_NOT_FOUND", field: "contactId" });
  });
});

describe("assignContactOwner's transfer (separate owners)", () => {
  /** acme (ana) with: d1 ana open, d2 ben open, d3 ana won, d4 ana lost, d5 cy open. */
  const handover = () =>
    account(SEPARATE, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "ana" },
        { id: "d2", contactId: "acme", ownerId: "ben" },
        { id: "d3", contactId: "acme", ownerId: "ana", status: "won" },
        { id: "d4", contactId: "acme", ownerId: "ana", status: "lost" },
        { id: "d5", contactId: "acme", ownerId: "cy" },
      ],
    });
  const dealOwners = (state: CrmState) => ["d1", "d2", "d3", "d4", "d5"].map((id) => getOpportunity(state, id)?.ownerId);
  const to = (transfer?: "none" | "ownedByPreviousOwner" | "all") =>
    run(handover(), { type: "assignContactOwner", contactId: "acme", ownerId: "cy", ...(transfer && { transfer }) });

  it('"none" (the default) moves the contact only', () => {
    expect(dealOwners(to().state)).toEqual(["ana", "ben", "ana", "ana", "cy"]);
    expect(dealOwners(to("none").state)).toEqual(["ana", "ben", "ana", "ana", "cy"]);
    expect(getContact(to("none").state, "acme")?.ownerId).toBe("cy");
  });

  it('"ownedByPreviousOwner" moves the open opportunities the previous contact owner owned; closed ones stay', () => {
    const result = to("ownedByPreviousOwner");
    expect(dealOwners(result.state)).toEqual(["cy", "ben", "ana", "ana", "cy"]);
    expect(brief(result.events)).toEqual(["ContactOwnerChanged acme ana→cy command", "OpportunityOwnerChanged d1 ana→cy transfer"]);
  });

  it('"all" moves every open opportunity, whoever owned it; closed ones stay', () => {
    const result = to("all");
    expect(dealOwners(result.state)).toEqual(["cy", "cy", "ana", "ana", "cy"]);
    expect(brief(result.events)).toEqual([
      "ContactOwnerChanged acme ana→cy command",
      "OpportunityOwnerChanged d1 ana→cy transfer",
      "OpportunityOwnerChanged d2 ben→cy transfer",
    ]);
  });

  it("moved opportunities go through the follower subsettings: the new owner is not added where they own", () => {
    const state = createState({
      ...toRecords(handover()),
      settings: { allowDifferentOwners: true, updateOpportunityFollowersOnContactOwnerChange: true },
    });
    const result = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "cy", transfer: "ownedByPreviousOwner" });
    // cy now owns d1 and d5; d2 (ben), d3, d4 (ana, closed) get cy as an automatic follower.
    expect(["d1", "d2", "d3", "d4", "d5"].map((id) => getOpportunity(result.state, id)?.followers.map((f) => f.userId))).toEqual([
      [],
      ["cy"],
      ["cy"],
      ["cy"],
      [],
    ]);
  });

  it("with coupled owners the whole group moves anyway, closed opportunities included", () => {
    const state = account(COUPLED, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }, { id: "d2", contactId: "acme", ownerId: "ana", status: "won" }] });
    const result = run(state, { type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer: "none" });
    expect(owners(result.state, "acme", "d1", "d2")).toEqual({ acme: "ben", d1: "ben", d2: "ben" });
  });

  it("refuses an unknown transfer option with INVALID_COMMAND naming the field", () => {
    const parsed = parseCommand({ type: "assignContactOwner", contactId: "acme", ownerId: "cy", transfer: "some" });
    expect(parsed.ok ? undefined : parsed.error).toMatchObject({ code: "INVALID_COMMAND", field: "transfer" });
  });
});
