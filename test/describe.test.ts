/** Events as sentences (docs/describing-events.md). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createState, describeEvent, localeDe, localeEn, type Catalogue, type CrmEvent, type NameLookup } from "../src/index.js";
import { act } from "./read-helpers.js";

const names: NameLookup = {
  user: (id) => ({ ana: "Ana", ben: "Ben", dev: "Dev" })[id],
  opportunity: (id) => (id === "deal-1" ? "Acme upsell" : undefined),
  contact: (id) => (id === "acme" ? "Acme Corp" : undefined),
};

const coupled: CrmEvent = {
  type: "OpportunityOwnerChanged",
  opportunityId: "deal-1",
  contactId: "acme",
  from: "ben",
  to: "dev",
  cause: "owners-coupled",
  version: 7,
  actor: { userId: "ana" },
  schemaVersion: 2,
};

describe("describeEvent", () => {
  it("says who did what and why, with display names", () => {
    expect(describeEvent(coupled, { names })).toBe("Ana reassigned deal “Acme upsell”: Ben → Dev, because owners are coupled.");
  });

  it("speaks German with locale \"de\" (or a region of it, or the catalogue itself)", () => {
    const german = "Ana hat den Deal „Acme upsell“ neu zugewiesen: Ben → Dev, weil die Besitzer gekoppelt sind.";
    expect(describeEvent(coupled, { names, locale: "de" })).toBe(german);
    expect(describeEvent(coupled, { names, locale: "de-AT" })).toBe(german);
    expect(describeEvent(coupled, { names, locale: localeDe })).toBe(german);
  });

  it("falls back to English for an unknown language, and to ids without names", () => {
    expect(describeEvent(coupled, { locale: "tlh" })).toBe("Ana reassigned deal “deal-1”: ben → dev, because owners are coupled.");
  });

  it("is one line whatever the ids and names hold: controls and bidirectional overrides escaped, quotes kept", () => {
    const forged = { ...coupled, contactId: "x", opportunityId: "d\n2026-01-01 ADMIN granted root", from: "b\u202Een", to: 'Dev "the" \\ one' } as CrmEvent;
    const sentence = describeEvent(forged);
    expect(sentence).toBe('Ana reassigned deal “d\\n2026-01-01 ADMIN granted root”: b\\u202Een → Dev "the" \\ one, because owners are coupled.');
    expect(sentence).not.toMatch(/[\n\r\u202E]/);
    const evilNames: NameLookup = { user: () => "Ana\r\nroot", opportunity: () => "\u2066deal\u2069" };
    expect(describeEvent(coupled, { names: evilNames })).not.toMatch(/[\r\n\u2066\u2069]/);
    // What names need stays: joiners (Persian, emoji) and the catalogue's own isolates.
    const joined: NameLookup = { user: (id) => (id === "ben" ? "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645" : id === "dev" ? "\u{1F469}\u200D\u{1F4BB}" : undefined) };
    expect(describeEvent(coupled, { names: joined })).toBe("Ana reassigned deal “deal-1”: \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 → \u{1F469}\u200D\u{1F4BB}, because owners are coupled.");
    // What hides in a name is escaped: zero-width space, marks, U+FEFF, a tag character, a soft hyphen.
    const hidden: NameLookup = { user: (id) => (id === "ben" ? "a\u200Bna\u200E\uFEFF" : id === "dev" ? "A\u{E0041}B\u00AD" : undefined) };
    expect(describeEvent(coupled, { names: hidden })).toBe("Ana reassigned deal “deal-1”: a\\u200Bna\\u200E\\uFEFF → A\\uDB40\\uDC41B\\u00AD, because owners are coupled.");
    const isolating: Catalogue = { ...localeEn, quoted: "\u2068{name}\u2069" };
    expect(describeEvent(coupled, { locale: isolating })).toContain("deal \u2068deal-1\u2069");
  });

  it("capitalises the sentence's first letter, but not a display name that begins it, nor a letter whose capital is two", () => {
    // An id is capitalised ("ana" reads "Ana"); a display name is shown as the lookup gave it.
    expect(describeEvent(coupled, { names: { user: (id) => (id === "ana" ? "bell hooks" : undefined) } })).toBe("bell hooks reassigned deal “deal-1”: ben → dev, because owners are coupled.");
    expect(describeEvent({ ...coupled, actor: { userId: "ßtraße" } } as CrmEvent)).toBe("ßtraße reassigned deal “deal-1”: ben → dev, because owners are coupled.");
    expect(describeEvent({ ...coupled, actor: { system: "import" } } as CrmEvent)).toBe("The system (import) reassigned deal “deal-1”: ben → dev, because owners are coupled.");
    // A name elsewhere in the sentence is untouched, and nothing of the mark is left.
    const sentence = describeEvent(coupled, { names: { user: (id) => (id === "ben" ? "bell hooks" : undefined), opportunity: () => "upsell" } });
    expect(sentence).toBe("Ana reassigned deal “upsell”: bell hooks → dev, because owners are coupled.");
    expect(sentence).not.toContain("\u0000");
  });

  it("an empty display name shows the id", () => {
    expect(describeEvent(coupled, { names: { user: () => "", opportunity: () => "" } })).toBe("Ana reassigned deal “deal-1”: ben → dev, because owners are coupled.");
  });

  it("names a system actor, and an unknown one as someone", () => {
    const bySystem = { ...coupled, actor: { system: "workflow:lead-routing" } } as CrmEvent;
    expect(describeEvent(bySystem)).toMatch(/^The system \(workflow:lead-routing\) reassigned deal “deal-1”/);
    const stored01 = { ...coupled, actor: { system: "unknown" } } as CrmEvent;
    expect(describeEvent(stored01)).toMatch(/^Someone reassigned/);
    const { actor: _omitted, ...withoutActor } = coupled as CrmEvent & { actor: unknown };
    expect(describeEvent(withoutActor as CrmEvent)).toMatch(/^Someone reassigned/);
  });

  it("a command's events read as a story", () => {
    const state = createState({
      users: [{ id: "ana" }, { id: "ben" }],
      contacts: [{ id: "acme", ownerId: "ana", followers: [{ userId: "ben", source: "manual" }] }],
      opportunities: [{ id: "deal-1", contactId: "acme", ownerId: "ana" }],
    });
    const { events } = act(state, { type: "deleteContact", contactId: "acme" }, { userId: "ben" });
    expect(events.map((e) => describeEvent(e, { names }))).toEqual([
      "Ben deleted contact “Acme Corp”.",
      "Ben deleted deal “Acme upsell”, because its contact was deleted.",
    ]);
  });

  it("a catalogue of your own rewords one sentence; a parameter it does not know stays visible", () => {
    const sales: Catalogue = { ...localeEn, events: { ...localeEn.events, OpportunityOwnerChanged: "{actor} handed {opportunity} to {to} {oops}" } };
    expect(describeEvent(coupled, { names, locale: sales })).toBe("Ana handed “Acme upsell” to Dev {oops}, because owners are coupled.");
  });

  it("names that look like parameters are not filled twice", () => {
    const tricky: NameLookup = { user: (id) => (id === "ana" ? "{cause}" : undefined) };
    expect(describeEvent(coupled, { names: tricky })).toBe("{cause} reassigned deal “deal-1”: ben → dev, because owners are coupled.");
  });

  it("a user who changes their own follow does it to themselves", () => {
    const own = { type: "FollowerAdded", record: { kind: "contact", id: "acme" }, userId: "ana", source: "manual", cause: "command", version: 2, actor: { userId: "ana" }, schemaVersion: 2 } as const;
    expect(describeEvent(own, { names })).toBe("Ana made themselves a follower of contact “Acme Corp”.");
    expect(describeEvent(own, { names, locale: "de" })).toBe("Ana hat sich als Follower von Kontakt „Acme Corp“ eingetragen.");
  });

  it("every setting, status and follower event has words", () => {
    const event = (e: object) => ({ cause: "command", version: 1, actor: { userId: "ana" }, schemaVersion: 2, ...e }) as CrmEvent;
    expect(describeEvent(event({ type: "SettingsChanged", setting: "allowDifferentOwners", from: false, to: true }))).toBe("Ana turned “deals may have their own owner” on.");
    expect(describeEvent(event({ type: "OpportunityStatusChanged", opportunityId: "deal-1", contactId: "acme", from: "open", to: "won" }), { locale: "de" })).toBe(
      "Ana hat den Deal „deal-1“ von offen auf gewonnen gesetzt.",
    );
    expect(describeEvent(event({ type: "FollowerNotAdded", record: { kind: "opportunity", id: "deal-1" }, userId: "ben", reason: "limit", cause: "contact-owner-followers" }))).toBe(
      "Ben could not follow deal “deal-1”: it already has the most followers allowed, because the contact's owner follows its deals.",
    );
    expect(describeEvent(event({ type: "RotationAdvanced", rotationId: "inbound", userId: "ben", picks: 3 }))).toBe("Rotation “inbound” picked ben (pick 3).");
    const picked = event({ type: "ContactOwnerChanged", contactId: "initech", from: null, to: "ben", rotationId: "inbound" });
    expect(describeEvent(picked, { names: { rotation: () => "Inbound leads" } })).toBe("Ana reassigned contact “initech”: nobody → ben (round-robin “Inbound leads”).");
    expect(describeEvent(picked, { locale: "de" })).toBe("Ana hat den Kontakt „initech“ neu zugewiesen: niemand → ben (Rotation „inbound“).");
  });
});

it("a sentence never carries a control, line separator, format character but the joiners, or lone surrogate, whatever the ids and names (property)", () => {
  const text = fc.string({ unit: "binary", maxLength: 12 });
  fc.assert(
    fc.property(text, text, text, text, fc.option(text, { nil: undefined }), (opportunityId, contactId, from, to, name) => {
      const event = { ...coupled, opportunityId, contactId, from, to } as CrmEvent;
      for (const locale of ["en", "de"]) {
        const sentence = describeEvent(event, { locale, names: { user: () => name, contact: () => name } });
        expect(sentence).not.toMatch(/(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
      }
    }),
    { numRuns: 300 },
  );
});
