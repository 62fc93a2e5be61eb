/**
 * docs/rules.md §7: at most `settings.maxFollowers` followers per record. A person hitting the limit
 * gets FOLLOWER_LIMIT; a rule adds nothing and says so with FollowerNotAdded. Adding an owner or
 * a follower again, or removing a non-follower, changes nothing.
 */
import { describe, expect, it } from "vitest";
import { createState, getContact } from "../src/index.js";
import { account, auto, manual, run, USERS } from "./helpers.js";
import { given } from "./spec.js";

const many = Array.from({ length: 11 }, (_, i) => ({ id: `u${i}` }));
const acme = { kind: "contact", id: "acme" } as const;

describe("FOLLOWER_LIMIT when a person adds one too many", () => {
  it("the default limit is 10: the eleventh follower is refused", () => {
    const ten = many.slice(0, 10).map((u) => manual(u.id));
    const state = createState({ users: [...USERS, ...many], contacts: [{ id: "acme", ownerId: "ana", followers: ten }], opportunities: [] });
    const error = given(state).when({ type: "addFollower", record: acme, userId: "u10" }).thenError({ code: "FOLLOWER_LIMIT", field: "userId", id: "acme" });
    expect(error.message).toContain("10");
  });

  it("the ninth and tenth follower are still accepted", () => {
    const eight = many.slice(0, 8).map((u) => manual(u.id));
    const state = createState({ users: many, contacts: [{ id: "acme", followers: eight }], opportunities: [] });
    const { state: next } = run(state, { type: "addFollower", record: acme, userId: "u8" }, { type: "addFollower", record: acme, userId: "u9" });
    expect(getContact(next, "acme")?.followers).toHaveLength(10);
  });

  it("settings.maxFollowers sets the limit, for opportunities too", () => {
    const state = account({ maxFollowers: 1 }, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers: [manual("ben")] }] });
    given(state).when({ type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "cy" }).thenError({
      code: "FOLLOWER_LIMIT",
      id: "d1",
    });
  });

  it("creating a record with more followerIds than the limit is refused", () => {
    const state = account({ maxFollowers: 2 });
    given(state).when({ type: "createContact", contactId: "new", followerIds: ["ben", "cy", "dee"] }).thenError({
      code: "FOLLOWER_LIMIT",
      field: "followerIds",
      id: "new",
      message: expect.stringMatching(/new contact "new" would have more followers than allowed \(2\)/),
    });
    given(state).when({ type: "createOpportunity", opportunityId: "d9", contactId: "acme", followerIds: ["ben", "cy", "dee"] }).thenError({
      code: "FOLLOWER_LIMIT",
      id: "d9",
    });
  });

  it("the owner and repeated ids in followerIds do not count against the limit", () => {
    const state = account({ maxFollowers: 2 });
    const { state: next } = run(state, { type: "createContact", contactId: "new", ownerId: "ana", followerIds: ["ana", "ben", "cy", "ben"] });
    expect(getContact(next, "new")?.followers).toEqual([manual("ben"), manual("cy")]);
  });

  it("upgrading an automation follow to manual on a full record is accepted (no new follower)", () => {
    const state = account({ maxFollowers: 1 }, { contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }] });
    expect(getContact(run(state, { type: "addFollower", record: acme, userId: "ben" }).state, "acme")?.followers).toEqual([manual("ben")]);
  });
});

describe("adding an owner or a follower again, or removing a non-follower, changes nothing", () => {
  const state = account({ maxFollowers: 1 }, { contacts: [{ id: "acme", ownerId: "ana", followers: [manual("ben")] }] });

  it.each([
    ["the record's owner as a follower", { type: "addFollower", record: acme, userId: "ana" }],
    ["a user who already follows by hand", { type: "addFollower", record: acme, userId: "ben" }],
    ["the opportunity's owner as its follower", { type: "addFollower", record: { kind: "opportunity", id: "d1" }, userId: "ana" }],
    ["removing a user who does not follow", { type: "removeFollower", record: acme, userId: "cy" }],
    ["removing the owner, who does not follow", { type: "removeFollower", record: acme, userId: "ana" }],
  ] as const)("%s: same state, no events, no limit error on a full record", (_, command) => {
    const result = run(state, command);
    expect(result.state).toBe(state);
    expect(result.events).toEqual([]);
  });
});
