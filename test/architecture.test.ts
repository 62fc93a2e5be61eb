/**
 * The layers of src/ only point down, and no module imports itself through others (docs/contributing.md):
 *
 *   model (records, errors, events, limits) < state (snapshots, evolve, invariants) < kernel
 *   (decide context, emit, refusal) < rules < commands < execute, host, read (the readers), stores, index
 *
 * src/testing sits beside them and uses the public entry only. The graph is read from the
 * relative `import`/`export … from` statements of every .ts file under src/.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

/** Every module of src/ with the modules of src/ it imports (type-only imports included). */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const text = readFileSync(join(SRC, file), "utf8");
    const targets = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)].map((m) =>
      normalize(join(dirname(file), (m[1] as string).replace(/\.js$/, ".ts"))),
    );
    out.set(file, targets);
  }
  return out;
}

const LAYERS = ["model", "state", "kernel", "rules", "commands", "top"] as const;
const ROOT: Record<string, (typeof LAYERS)[number]> = {
  "errors.ts": "model",
  "events.ts": "model",
  "eventShape.ts": "model",
  "httpStatus.ts": "model",
  "upcast.ts": "model",
  "limits.ts": "model",
  "evolve.ts": "state",
  "invariants.ts": "state",
  "execute.ts": "top",
  "index.ts": "top",
};
/** The layer of a module, or undefined for src/testing (checked on its own below). */
function layer(file: string): (typeof LAYERS)[number] | undefined {
  const [head, ...rest] = file.split(/[\\/]/);
  if (rest.length === 0) return ROOT[head as string] ?? "top";
  if (head === "testing") return undefined;
  if (head === "host" || head === "read" || head === "stores") return "top";
  return head as (typeof LAYERS)[number];
}

describe("architecture", () => {
  const modules = graph();

  it("reads every module and its imports", () => {
    expect(modules.size).toBeGreaterThan(30);
    expect(modules.get("execute.ts")?.length).toBeGreaterThan(0);
  });

  it("no import points from a lower layer to a higher one", () => {
    const upward: string[] = [];
    for (const [file, targets] of modules) {
      const from = layer(file);
      if (from === undefined) continue;
      for (const target of targets) {
        const to = layer(target);
        if (to === undefined || LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${file} (${from}) → ${target} (${to ?? "testing"})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("src/testing imports the public entry and its own modules only", () => {
    const outside: string[] = [];
    for (const [file, targets] of modules) {
      if (layer(file) !== undefined) continue;
      for (const target of targets) if (layer(target) !== undefined && target !== "index.ts") outside.push(`${file} → ${target}`);
    }
    expect(outside).toEqual([]);
  });

  it("there is no import cycle anywhere in src/", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      path.push(file);
      for (const target of modules.get(file) ?? []) visit(target);
      path.pop();
      state.set(file, "done");
    };
    for (const file of modules.keys()) visit(file);
    expect(cycles).toEqual([]);
  });
});
