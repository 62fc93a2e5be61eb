/** The library's own reading of ISO 8601 times (`instantOf`): the instant, the same on every engine and time zone. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantOf } from "../src/model/fields.js";

/** `ms` written in one of the forms a context may use: UTC with `Z`, or at `offset` minutes east of UTC as `+hhmm` or `+hh:mm`; with `T` or a space. */
function iso(ms: number, offset: number, form: number): string {
  const zone = form % 3;
  const text =
    zone === 0
      ? new Date(ms).toISOString()
      : `${new Date(ms + offset * 60_000).toISOString().slice(0, -1)}${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}${zone === 2 ? ":" : ""}${String(Math.abs(offset) % 60).padStart(2, "0")}`;
  return form % 2 === 0 ? text : text.replace("T", " ");
}

describe("instantOf", () => {
  it("reads the edges: a leap second at the end of a year, years 0 to 99, a date alone, a time without offset as UTC", () => {
    expect(instantOf("2016-12-31T23:59:60Z")).toBe(Date.UTC(2017, 0, 1));
    expect(instantOf("2016-12-31T23:59:60+01:00")).toBe(Date.UTC(2016, 11, 31, 23));
    expect(instantOf("2016-06-30T23:59:60Z")).toBe(Date.UTC(2016, 6, 1));
    const year = (y: number, month = 0, day = 1) => new Date(0).setUTCFullYear(y, month, day);
    expect(instantOf("0099-12-31T23:59:60Z")).toBe(year(100));
    expect(instantOf("0005-03-01")).toBe(year(5, 2, 1));
    expect(instantOf("0000-02-29")).toBe(year(0, 1, 29));
    expect(instantOf("2026-12-01")).toBe(Date.UTC(2026, 11, 1));
    expect(instantOf("2026-12-01T10:00")).toBe(Date.UTC(2026, 11, 1, 10));
    expect(instantOf("2026-12-01T10:00:00.5-0530")).toBe(Date.UTC(2026, 11, 1, 15, 30, 0, 500));
    for (const bad of ["2026-02-29", "2026-02-30T00:00:00Z", "2026-04-01T24:00Z", "2026-04-01T12:00+24:00", "yesterday", "2026-1-1"]) {
      expect(instantOf(bad), bad).toBeUndefined();
    }
  });

  it("gives back the instant of any time from year 0 to 9999, whatever its offset and form (property)", () => {
    const instant = fc.integer({ min: new Date(0).setUTCFullYear(0, 0, 2), max: Date.UTC(9999, 11, 30) });
    const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    fc.assert(
      fc.property(instant, offset, fc.nat(5), (ms, minutes, form) => {
        expect(instantOf(iso(ms, minutes, form))).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });
});
