/**
 * docs/rules.md §5 and §6: automatic follows follow ownership. With separate owners, each follower
 * subsetting gives users reasons to follow; after every command, each group whose ownership it
 * changed has its `automation` follows reconciled with its reasons before and after.
 */
import { describe, expect, it } from "vitest";
import type { Settings } from "../src/index.js";
import { account, auto, COUPLED, manual, SEPARATE } from "./helpers.js";
import { follows, given } from "./spec.js";

const CONTACT_RULE: Partial<Settings> = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true };
const OPPORTUNITY_RULE: Partial<Settings> = { ...SEPARATE, updateOpportunityFollowersOnContactOwnerChange: true };
const BOTH: Partial<Settings> = { ...CONTACT_RULE, ...OPPORTUNITY_RULE };

describe("§5.1 contact followers follow opportunity owners: owning a deal of a contact one does not own is a reason to follow it", () => {
  it("an opportunity's new owner follows the contact", () => {
    given(account(CONTACT_RULE))
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
  });

  it("the previous owner's follow ends once they own none of the contact's deals", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ana" }],
    });
    const { state: next, events } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" })
      .then([
        "OpportunityOwnerChanged d1 ben→cy command",
        "FollowerRemoved contact:acme ben opportunity-owner-followers",
        "FollowerAdded contact:acme cy automation opportunity-owner-followers",
      ]);
    expect(events[1]).toMatchObject({ record: { kind: "contact", id: "acme" }, userId: "ben", source: "automation" });
    expect(follows(next)).toEqual(["contact:acme cy automation"]);
  });

  it("a deal of any status is a reason: the previous owner keeps following while they own a won deal of the contact", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ben", status: "won" }],
    });
    given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" })
      .then(["OpportunityOwnerChanged d1 ben→cy command", "FollowerAdded contact:acme cy automation opportunity-owner-followers"]);
  });

  it("a deal of another contact is no reason to follow this one", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }, { id: "bolt", ownerId: "ana" }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "b1", contactId: "bolt", ownerId: "ben" }],
    });
    given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" })
      .then(["OpportunityOwnerChanged d1 ben→ana command", "FollowerRemoved contact:acme ben opportunity-owner-followers"]);
  });

  it("the contact's owner has no reason to follow it: a deal moving to them adds nobody", () => {
    const state = account(CONTACT_RULE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }] });
    given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" }).then(["OpportunityOwnerChanged d1 ben→ana command"]);
  });

  it("a deal created with another owner than the contact's: its owner follows the contact", () => {
    given(account(CONTACT_RULE))
      .when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" })
      .then(["OpportunityCreated command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
  });

  it("deleting a deal ends its owner's follow of the contact (no other deal of theirs there)", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }],
    });
    given(state)
      .when({ type: "deleteOpportunity", opportunityId: "d1" })
      .then(["OpportunityDeleted command", "FollowerRemoved contact:acme ben opportunity-owner-followers"]);
  });

  it("a contact handover: the former contact owner still owns a deal, so they now follow the contact", () => {
    // ana owned acme and both deals; d2 is won, so the handover of open deals leaves it with her.
    const state = account(CONTACT_RULE, {
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }, { id: "d2", contactId: "acme", ownerId: "ana", status: "won" }],
    });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer: "ownedByPreviousOwner" })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "OpportunityOwnerChanged d1 ana→ben transfer",
        "FollowerAdded contact:acme ana automation opportunity-owner-followers",
      ]);
  });

  it("a contact owner change alone: the former owner of the contact, owning two of its deals, now follows it", () => {
    given(account(CONTACT_RULE))
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then(["ContactOwnerChanged acme ana→ben command", "FollowerAdded contact:acme ana automation opportunity-owner-followers"]);
  });

  it("taking over the contact makes a deal owner's automatic follow redundant: it ends", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }],
    });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then(["ContactOwnerChanged acme ana→ben command", "FollowerRemoved contact:acme ben opportunity-owner-followers"]);
  });
});

describe("§5.2 opportunity followers follow the contact owner: owning the contact of a deal one does not own is a reason to follow the deal", () => {
  it("the contact's new owner follows each of its deals, in the contact's order (any status)", () => {
    const state = account(OPPORTUNITY_RULE, {
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }, { id: "d2", contactId: "acme", ownerId: "cy", status: "won" }],
    });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
        "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
      ]);
  });

  it("the previous contact owner's automatic follows end; a deal the new owner owns gets no follow", () => {
    const state = account(OPPORTUNITY_RULE, {
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy", followers: [auto("ana")] }, { id: "d2", contactId: "acme", ownerId: "ben", followers: [auto("ana")] }],
    });
    const { state: next } = given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "FollowerRemoved opportunity:d1 ana contact-owner-followers",
        "FollowerRemoved opportunity:d2 ana contact-owner-followers",
        "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
      ]);
    expect(follows(next)).toEqual(["opportunity:d1 ben automation"]);
  });

  it("a deal moving away from the contact's owner: the contact's owner follows it", () => {
    given(account(OPPORTUNITY_RULE))
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerAdded opportunity:d1 ana automation contact-owner-followers"]);
  });

  it("a deal moving to the contact's owner: their automatic follow of it is redundant and ends", () => {
    const state = account(OPPORTUNITY_RULE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben", followers: [auto("ana")] }] });
    given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" })
      .then(["OpportunityOwnerChanged d1 ben→ana command", "FollowerRemoved opportunity:d1 ana contact-owner-followers"]);
  });

  it("a deal created with another owner than the contact's: the contact's owner follows it", () => {
    given(account(OPPORTUNITY_RULE))
      .when({ type: "createOpportunity", opportunityId: "d3", contactId: "acme", ownerId: "ben" })
      .then(["OpportunityCreated command", "FollowerAdded opportunity:d3 ana automation contact-owner-followers"]);
  });

  it("unassigning the contact ends its previous owner's follows and adds nobody", () => {
    const state = account(OPPORTUNITY_RULE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben", followers: [auto("ana")] }] });
    given(state)
      .when({ type: "removeAssignedUser", contactId: "acme" })
      .then(["ContactOwnerChanged acme ana→null command", "FollowerRemoved opportunity:d1 ana contact-owner-followers"]);
  });
});

describe("§5.3 a reason that persists adds nothing", () => {
  it("a person who unfollowed is not followed again by a change that leaves their reason as it was", () => {
    const state = account(CONTACT_RULE, {
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ben" }],
    });
    // ben owns two deals of acme but unfollowed it; moving one of them to cy leaves his reason.
    given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" })
      .then(["OpportunityOwnerChanged d1 ben→cy command", "FollowerAdded contact:acme cy automation opportunity-owner-followers"]);
  });

  it("until a new reason begins: after losing the reason, getting a deal back follows again", () => {
    const state = account(CONTACT_RULE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }] });
    const moves = given(state, { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" });
    moves
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
  });

  it("reasons are compared before and after the command: a bulk move that gives an unfollower a second deal adds nothing", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "cy" }],
    });
    // ben owns d1 but unfollowed acme; cy's deal goes to him too: his reason persists, cy's ends.
    given(state)
      .when({ type: "transferOwnership", fromUserId: "cy", toUserId: "ben" })
      .then(["OpportunityOwnerChanged d2 cy→ben transfer", "FollowerRemoved contact:acme cy opportunity-owner-followers"]);
  });
});

describe("§5.4 removals first, then additions: a swap on a full record works", () => {
  const full = { ...CONTACT_RULE, maxFollowers: 2 };

  it("a full contact: the previous deal owner's automatic follow ends and frees the slot for the new owner", () => {
    const state = account(full, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [manual("dee"), auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy" }],
    });
    const { state: next } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then([
        "OpportunityOwnerChanged d1 cy→ben command",
        "FollowerRemoved contact:acme cy opportunity-owner-followers",
        "FollowerAdded contact:acme ben automation opportunity-owner-followers",
      ]);
    expect(follows(next)).toEqual(["contact:acme dee manual", "contact:acme ben automation"]);
  });

  it("a full contact with no slot to free: FollowerNotAdded (limit), and the owner change still happens", () => {
    const state = account(full, { contacts: [{ id: "acme", ownerId: "ana", followers: [manual("cy"), manual("dee")] }] });
    const { events } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerNotAdded contact:acme ben limit opportunity-owner-followers"]);
    expect(events[1]).toMatchObject({ record: { kind: "contact", id: "acme" }, userId: "ben", reason: "limit" });
  });

  it("a full deal: the contact's previous owner leaves it, the new owner takes the slot; only full deals are skipped", () => {
    const state = account({ ...OPPORTUNITY_RULE, maxFollowers: 1 }, {
      opportunities: [
        { id: "d1", contactId: "acme", ownerId: "cy", followers: [auto("ana")] },
        { id: "d2", contactId: "acme", ownerId: "cy", followers: [manual("dee")] },
      ],
    });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "FollowerRemoved opportunity:d1 ana contact-owner-followers",
        "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
        "FollowerNotAdded opportunity:d2 ben limit contact-owner-followers",
      ]);
  });

  it("a user who already follows a full record is not reported as not added", () => {
    const state = account(full, { contacts: [{ id: "acme", ownerId: "ana", followers: [manual("ben"), manual("dee")] }] });
    given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).then(["OpportunityOwnerChanged d1 ana→ben command"]);
  });

  it("both rules in one command: removals of the contact, then of its deals, then the additions in the same order", () => {
    const state = account(BOTH, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy", followers: [auto("ana")] }],
    });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "FollowerRemoved opportunity:d1 ana contact-owner-followers",
        "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
      ]);
  });
});

describe("§5.5 who is not followed", () => {
  it.each([["manual"], ["automation"]] as const)("a user who already follows the record (%s) is not added again", (source) => {
    const state = account(CONTACT_RULE, { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source }] }] });
    const { state: next } = given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).then(["OpportunityOwnerChanged d1 ana→ben command"]);
    expect(follows(next)).toEqual([`contact:acme ben ${source}`]);
  });

  it("an inactive user gets no follow: a deal that keeps a departed owner adds nothing", () => {
    // The contact moves away from `gone`, who still owns d1: a reason begins for an inactive user.
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "gone" }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "gone" }],
    });
    given(state).when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" }).then(["ContactOwnerChanged acme gone→ben command"]);
  });
});

describe("§5.6 which groups are reconciled", () => {
  it("a group the command did not change keeps its follows, even one without a reason", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana" }, { id: "bolt", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }, { id: "b1", contactId: "bolt", ownerId: "ana" }],
    });
    const { state: next } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
    expect(follows(next)).toContain("contact:bolt cy automation");
  });

  it("a command that changes no owner reconciles nothing (status, follows by hand)", () => {
    const state = account(CONTACT_RULE, { contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }] });
    given(state).when({ type: "setOpportunityStatus", opportunityId: "d1", status: "won" }).then(["OpportunityStatusChanged command"]);
  });

  it("a subsetting that is off leaves the follows of its kind as they are", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana", followers: [auto("dee")] }],
    });
    // The contact rule ends cy's follow; the opportunity rule is off, so dee's stays.
    const { state: next } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then([
        "OpportunityOwnerChanged d1 ana→ben command",
        "FollowerRemoved contact:acme cy opportunity-owner-followers",
        "FollowerAdded contact:acme ben automation opportunity-owner-followers",
      ]);
    expect(follows(next)).toContain("opportunity:d1 dee automation");
  });

  it("with both subsettings off nothing is reconciled", () => {
    given(account(SEPARATE)).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).then(["OpportunityOwnerChanged d1 ana→ben command"]);
  });

  it("turning a subsetting on does not sweep the account: it applies to the groups later commands change", () => {
    const state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }, { id: "d2", contactId: "acme", ownerId: "ana" }] });
    const on = given(state).when({ type: "updateSettings", updateContactFollowersOnOpportunityOwnerChange: true }).then([
      "SettingsChanged updateContactFollowersOnOpportunityOwnerChange false→true command",
    ]);
    // ben's reason existed before this command and persists: still no follow. cy's begins.
    given(on.state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d2", ownerId: "cy" })
      .then(["OpportunityOwnerChanged d2 ana→cy command", "FollowerAdded contact:acme cy automation opportunity-owner-followers"]);
  });

  it("while owners are coupled nothing is reconciled, whatever the subsettings", () => {
    const coupled = { ...COUPLED, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true };
    const state = account(coupled, { contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }] });
    given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "ContactOwnerChanged acme ana→ben owners-coupled", "OpportunityOwnerChanged d2 ana→ben owners-coupled"]);
  });

  it("a group must be wholly loaded: INCOMPLETE_SNAPSHOT names the missing deals", () => {
    const state = account(CONTACT_RULE, { contacts: [{ id: "acme", ownerId: "ana", opportunityIds: ["d1", "d2", "d3"] }] });
    given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" }).thenError({ code: "INCOMPLETE_SNAPSHOT", id: "acme", missingIds: ["d3"] });
  });
});

describe("§5.7 every cause of an owner change is reconciled the same way", () => {
  it("a rotation (assignUser) picks the contact's owner: its deals' follows follow", () => {
    given(account(OPPORTUNITY_RULE))
      .when({ type: "assignUser", contactId: "acme", rotationId: "r", users: [{ userId: "ben" }] })
      .then([
        "ContactOwnerChanged acme ana→ben command",
        "RotationAdvanced command",
        "FollowerAdded opportunity:d1 ben automation contact-owner-followers",
        "FollowerAdded opportunity:d2 ben automation contact-owner-followers",
      ]);
  });

  it("a workflow sets a deal's owner (addOpportunityOwner)", () => {
    given(account(CONTACT_RULE))
      .when({ type: "addOpportunityOwner", opportunityId: "d1", userId: "ben" })
      .then(["OpportunityOwnerChanged d1 ana→ben command", "FollowerAdded contact:acme ben automation opportunity-owner-followers"]);
  });

  it("a bulk move (transferOwnership) reconciles every group it changed", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }, { id: "bolt", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy" }, { id: "b1", contactId: "bolt", ownerId: "cy" }],
    });
    given(state)
      .when({ type: "transferOwnership", fromUserId: "cy", toUserId: "ben" })
      .then([
        "OpportunityOwnerChanged d1 cy→ben transfer",
        "OpportunityOwnerChanged b1 cy→ben transfer",
        "FollowerRemoved contact:acme cy opportunity-owner-followers",
        "FollowerRemoved contact:bolt cy opportunity-owner-followers",
        "FollowerAdded contact:acme ben automation opportunity-owner-followers",
        "FollowerAdded contact:bolt ben automation opportunity-owner-followers",
      ]);
  });

  it("offboarding: the departed user's follows go, and the new owner's reasons begin", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [auto("cy")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "cy" }],
    });
    given(state)
      .when({ type: "deactivateUser", userId: "cy", reassignTo: "ben" })
      .then([
        "UserDeactivated command",
        "OpportunityOwnerChanged d1 cy→ben user-deactivated",
        "FollowerRemoved contact:acme cy user-deactivated",
        "FollowerAdded contact:acme ben automation opportunity-owner-followers",
      ]);
  });
});

describe("§5.8 manual follows and rules", () => {
  it("a manual follower is never removed by a rule", () => {
    const state = account(CONTACT_RULE, {
      contacts: [{ id: "acme", ownerId: "ana", followers: [manual("ben")] }],
      opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben" }],
    });
    const { state: next } = given(state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" })
      .then(["OpportunityOwnerChanged d1 ben→cy command", "FollowerAdded contact:acme cy automation opportunity-owner-followers"]);
    expect(follows(next)).toEqual(["contact:acme ben manual", "contact:acme cy automation"]);
  });

  it("a manual follow that is an owner's own stays (only automation follows of owners end)", () => {
    const state = account(OPPORTUNITY_RULE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ben", followers: [manual("ana")] }] });
    given(state).when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ana" }).then(["OpportunityOwnerChanged d1 ben→ana command"]);
  });

  it("adding by hand a user who follows by automation makes the follow manual, and rules leave it then", () => {
    const start = given(account(CONTACT_RULE), { type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "ben" });
    const upgraded = start
      .when({ type: "addFollower", record: { kind: "contact", id: "acme" }, userId: "ben" })
      .then(["FollowerAdded contact:acme ben manual command"]);
    // ben no longer owns any deal of acme, but his follow is a person's choice now.
    const { state } = given(upgraded.state)
      .when({ type: "assignOpportunityOwner", opportunityId: "d1", ownerId: "cy" })
      .then(["OpportunityOwnerChanged d1 ben→cy command", "FollowerAdded contact:acme cy automation opportunity-owner-followers"]);
    expect(follows(state)).toEqual(["contact:acme ben manual", "contact:acme cy automation"]);
  });

  it("a person may remove an automation follow by hand", () => {
    const state = account(SEPARATE, { contacts: [{ id: "acme", ownerId: "ana", followers: [auto("ben")] }] });
    const { events } = given(state).when({ type: "removeFollower", record: { kind: "contact", id: "acme" }, userId: "ben" }).then(["FollowerRemoved contact:acme ben command"]);
    expect(events[0]).toMatchObject({ source: "automation" });
  });
});
