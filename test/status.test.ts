/**
 * docs/rules.md §12: an opportunity's status moves between open, won, lost and abandoned; it is
 * not an ownership change, and closed deals keep their owner in handovers and bulk moves.
 */
import { describe, it } from "vitest";
import type { Settings } from "../src/index.js";
import { account, COUPLED, SEPARATE } from "./helpers.js";
import { given } from "./spec.js";

const FOLLOWING: Partial<Settings> = { ...SEPARATE, updateContactFollowersOnOpportunityOwnerChange: true, updateOpportunityFollowersOnContactOwnerChange: true };

describe("§12 opportunity status", () => {
  it.each([["won"], ["lost"], ["abandoned"]] as const)("an open deal can be marked %s, and opened again", (status) => {
    const closed = given(account(COUPLED)).when({ type: "setOpportunityStatus", opportunityId: "d1", status }).then(["OpportunityStatusChanged command"]);
    given(closed.state).when({ type: "setOpportunityStatus", opportunityId: "d1", status: "open" }).then(["OpportunityStatusChanged command"]);
  });

  it("setting the status a deal has changes nothing", () => {
    given(account(COUPLED)).when({ type: "setOpportunityStatus", opportunityId: "d1", status: "open" }).then([]);
  });

  it("a status change is not an ownership change: no follower rule runs", () => {
    const state = account(FOLLOWING, { contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "cy", source: "automation" }] }] });
    given(state).when({ type: "setOpportunityStatus", opportunityId: "d2", status: "won" }).then(["OpportunityStatusChanged command"]);
  });

  it("an unknown deal is refused", () => {
    given(account()).when({ type: "setOpportunityStatus", opportunityId: "nope", status: "won" }).thenError({ code: "OPPORTUNITY_NOT_FOUND", field: "opportunityId" });
  });

  it("a closed deal keeps its owner in a contact handover", () => {
    const state = account(SEPARATE, { opportunities: [{ id: "d1", contactId: "acme", ownerId: "ana" }, { id: "d2", contactId: "acme", ownerId: "ana", status: "lost" }] });
    given(state)
      .when({ type: "assignContactOwner", contactId: "acme", ownerId: "ben", transfer: "all" })
      .then(["ContactOwnerChanged acme ana→ben command", "OpportunityOwnerChanged d1 ana→ben transfer"]);
  });
});
