#!/usr/bin/env node
// Consumer smoke test: installs the packed tarball into a fresh temporary project and uses it the
// ways users do: `import` and `require` in Node, TypeScript under moduleResolution node16 (ESM and
// CJS files) and bundler, a bundle run inside @edge-runtime/vm (a web-standard runtime without Node
// APIs), and a browser bundle made by esbuild that must not pull in a Node built-in; and as an
// adopter does: a command validated through the Standard Schema interface, the JSON Schemas
// imported by their export paths, an async host driven by the testing kit, and the official
// stores (crm-ownership/sqlite, crm-ownership/postgres) over real drivers.
//
//   node scripts/consumer-smoke.mjs [path/to/crm-ownership-x.y.z.tgz]
//
// Without a tarball it builds and packs the repo first. Installs are offline-friendly:
// fast-check comes from npm's cache when `npm ci` has filled it (--prefer-offline).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runInNewContext } from "node:vm";
import assert from "node:assert/strict";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const requireFromRepo = createRequire(join(repo, "package.json"));
const esbuild = requireFromRepo("esbuild");
const { EdgeVM } = requireFromRepo("@edge-runtime/vm");
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
const fastCheckVersion = requireFromRepo("fast-check/package.json").version;

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const npm = (args, cwd) => run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], cwd);
const step = (name) => console.log(`   ${name}`);

const project = mkdtempSync(join(tmpdir(), "crm-ownership-consumer-"));
try {
  let tarball = process.argv[2] && resolve(process.argv[2]);
  if (!tarball) {
    run("npm", ["run", "--silent", "build"], repo);
    tarball = join(project, run("npm", ["pack", "--silent", "--pack-destination", project], repo).trim().split("\n").pop());
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));

  // ---- 1. the main entry, with no runtime dependency and no fast-check
  npm(["install", tarball], project);
  const installed = JSON.parse(readFileSync(join(project, "node_modules/crm-ownership/package.json"), "utf8"));
  assert.deepEqual(Object.keys(installed.dependencies ?? {}), [], "no runtime dependency");
  assert.ok(!existsSync(join(project, "node_modules/immer")), "no immer installed next to it (0.1 bundled it; 0.2 does not use it)");

  // One scenario, written once, run through every way of loading the package. Expectations come
  // from docs/rules.md §2, §3, §14: coupled owners move together, events say why, errors are values.
  const scenario = `function scenario(api) {
  const init = {
    users: [{ id: "ana" }, { id: "ben" }],
    contacts: [{ id: "acme", ownerId: "ana" }, { id: "__proto__", ownerId: null }],
    opportunities: [
      { id: "deal-1", contactId: "acme", ownerId: "ana" },
      { id: "deal-2", contactId: "acme", ownerId: "ana" },
    ],
  };
  const state = api.createState(init);
  const context = { actor: { system: "consumer-smoke" } };
  const moved = api.execute(state, { type: "assignOpportunityOwner", opportunityId: "deal-1", ownerId: "ben", commandId: "c-1" }, context);
  const invalid = api.parseCommand({ type: "assignContactOwner", contactId: "acme" });
  const unknownUser = api.execute(state, { type: "assignContactOwner", contactId: "acme", ownerId: "zoe" }, context);
  let thrown = "none";
  try { api.createState({ users: [], contacts: [], opportunities: [{ id: "o", contactId: "missing" }] }); }
  catch (error) { thrown = error instanceof api.InvalidSnapshotError ? "InvalidSnapshotError" : String(error); }
  const records = api.toRecords(moved.state);
  return {
    ok: moved.ok,
    events: moved.events.map((e) => [e.type, e.cause, e.commandId]),
    owners: [api.getContact(moved.state, "acme").ownerId, ...api.opportunitiesOfContact(moved.state, "acme").map((o) => o.ownerId)],
    version: moved.state.version,
    before: api.getOpportunity(state, "deal-1").ownerId,
    frozen: Object.isFrozen(moved.state),
    invalid: [invalid.ok, invalid.error.code, invalid.error.field],
    unknownUser: [unknownUser.ok, unknownUser.error.code, unknownUser.error.id],
    thrown,
    protoId: api.getContact(state, "__proto__").id,
    polluted: ({}).ownerId === undefined ? "no" : "yes",
    roundTrip: JSON.stringify(api.toRecords(api.createState(records))) === JSON.stringify(records),
  };
}`;
  const expected = {
    ok: true,
    events: [
      ["OpportunityOwnerChanged", "command", "c-1"],
      ["ContactOwnerChanged", "owners-coupled", "c-1"],
      ["OpportunityOwnerChanged", "owners-coupled", "c-1"],
    ],
    owners: ["ben", "ben", "ben"],
    version: 1,
    before: "ana",
    frozen: true,
    invalid: [false, "INVALID_COMMAND", "ownerId"],
    unknownUser: [false, "USER_NOT_FOUND", "zoe"],
    thrown: "InvalidSnapshotError",
    protoId: "__proto__",
    polluted: "no",
    roundTrip: true,
  };
  const check = (label, output) => {
    assert.deepEqual(JSON.parse(output), expected, `${label}: the scenario's outcome`);
    step(`${label}: ok`);
  };

  writeFileSync(join(project, "esm.mjs"), `import * as api from "crm-ownership";\n${scenario}\nconsole.log(JSON.stringify(scenario(api)));\n`);
  writeFileSync(join(project, "cjs.cjs"), `const api = require("crm-ownership");\n${scenario}\nconsole.log(JSON.stringify(scenario(api)));\n`);
  check("node import (ESM)", run("node", ["esm.mjs"], project));
  check("node require (CJS)", run("node", ["cjs.cjs"], project));

  // Only the exports map is public: deep imports are refused.
  assert.throws(
    () => run("node", ["-e", "require('crm-ownership/dist/index.cjs')"], project),
    /ERR_PACKAGE_PATH_NOT_EXPORTED/,
    "deep imports are not exported",
  );
  step("deep import refused: ok");

  // ---- 2. web-standard runtime: bundle (as edge platforms do), then run inside @edge-runtime/vm
  writeFileSync(join(project, "web.mjs"), `import * as api from "crm-ownership";\n${scenario}\nglobalThis.__smoke = JSON.stringify(scenario(api));\n`);
  const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const bundle = async (platform, extra) => {
    const result = await esbuild.build({
      entryPoints: [join(project, "web.mjs")],
      absWorkingDir: project,
      bundle: true,
      write: false,
      metafile: true,
      minify: true,
      format: "iife",
      platform,
      // Externalised so that a Node built-in shows up as an import below instead of a build error.
      external: [...nodeBuiltins],
      logLevel: "silent",
      ...extra,
    });
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.external);
    assert.deepEqual(imports.map((i) => i.path), [], `${platform} bundle imports nothing external (no Node built-in)`);
    return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
  };

  const edge = await bundle("neutral", {
    mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"],
    // No `define` for process.env.NODE_ENV: the package must not read it, so it also runs where ES modules load without a bundler.
  });
  const vm = new EdgeVM();
  assert.equal(vm.evaluate("typeof process + ' ' + typeof require"), "undefined undefined", "the edge VM has no Node APIs");
  vm.evaluate(edge.code);
  check("@edge-runtime/vm", vm.evaluate("globalThis.__smoke"));

  // ---- 3. browser bundle: no Node built-in, and it runs in a bare context without Node globals
  const browser = await bundle("browser", {});
  assert.ok(!browser.inputs.some((p) => p.includes("node_modules/immer/")), "no immer among the inputs");
  assert.ok(!browser.inputs.some((p) => nodeBuiltins.has(p)), "no Node built-in among the inputs");
  const sandbox = {};
  runInNewContext(browser.code, sandbox);
  check(`browser bundle (esbuild, ${(browser.code.length / 1024).toFixed(1)} kB minified)`, sandbox.__smoke);

  // ---- 4. the testing subpath, with its optional peer dependency installed
  npm(["install", `fast-check@${fastCheckVersion}`], project);
  const testingScenario = `function testingScenario(api, testing, fc) {
    const sound = api.createState({ users: [{ id: "ana" }], contacts: [{ id: "c", ownerId: "ana" }], opportunities: [{ id: "o", contactId: "c", ownerId: "ana" }] });
    // Coupled owners that differ: createState accepts legacy data, checkInvariants reports it (docs/rules.md §1).
    const split = api.createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "c", ownerId: "ana" }], opportunities: [{ id: "o", contactId: "c", ownerId: "ben" }] });
    testing.assertInvariants(sound);
    let broken = false;
    try { testing.assertInvariants(split); } catch { broken = true; }
    const names = Object.keys(testing);
    const arbitraries = names.filter((n) => testing[n] instanceof fc.Arbitrary);
    for (const n of arbitraries) fc.sample(testing[n], { numRuns: 3, seed: 42 });
    return { broken, undefinedExports: names.filter((n) => testing[n] === undefined), hasAssert: typeof testing.assertInvariants };
  }`;
  const testingExpected = { broken: true, undefinedExports: [], hasAssert: "function" };
  writeFileSync(
    join(project, "testing-esm.mjs"),
    `import * as api from "crm-ownership";\nimport * as testing from "crm-ownership/testing";\nimport fc from "fast-check";\n${testingScenario}\nconsole.log(JSON.stringify(testingScenario(api, testing, fc)));\n`,
  );
  writeFileSync(
    join(project, "testing-cjs.cjs"),
    `const api = require("crm-ownership");\nconst testing = require("crm-ownership/testing");\nconst fc = require("fast-check");\n${testingScenario}\nconsole.log(JSON.stringify(testingScenario(api, testing, fc)));\n`,
  );
  for (const [label, file] of [["crm-ownership/testing via import", "testing-esm.mjs"], ["crm-ownership/testing via require", "testing-cjs.cjs"]]) {
    assert.deepEqual(JSON.parse(run("node", [file], project)), testingExpected, label);
    step(`${label}: ok`);
  }

  // ---- 5. adopters: a command validated through the Standard Schema interface, the JSON Schemas
  // by their export paths, and an async host (a stand-in for PostgreSQL) driven by the kit.
  const adopterScenario = `async function adopterScenario(api, testing, fc, schemas) {
    // Only the Standard Schema interface, as a framework uses it.
    const standard = api.commandSchema["~standard"];
    const good = await standard.validate({ type: "assignContactOwner", contactId: "acme", ownerId: "ben" });
    const bad = await standard.validate({ type: "assignUser", contactId: "acme", rotationId: "r", users: [{ userId: "ana", weight: 0 }] });
    // An async host: every write awaits, as a database driver's does.
    const db = { rows: [], async write(changes) { await new Promise((r) => setTimeout(r, 1)); this.rows.push(changes); } };
    const records = { users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] };
    const commands = [
      { type: "assignContactOwner", contactId: "acme", ownerId: "ben" },
      { type: "deleteContact", contactId: "nobody" },
      { type: "assignContactOwner", contactId: "acme", ownerId: "ana" },
    ];
    const order = [];
    const run = await testing.runSequence(api.createState(records), commands, {
      onStep: async ({ index, before, result }) => {
        order.push("start " + index);
        if (result.ok) await db.write(api.changedRecords(before, result));
        order.push("end " + index);
      },
    });
    let sampled = 0;
    await fc.assert(fc.asyncProperty(testing.arbScenario({}, { maxLength: 4 }), async ({ records, commands }) => {
      await testing.runSequence(api.createState(records), commands, { onStep: async () => { await Promise.resolve(); sampled += 1; } });
    }), { numRuns: 5 });
    return {
      vendor: standard.vendor,
      version: standard.version,
      good: good.value && good.value.type,
      bad: bad.issues.map((i) => i.path),
      written: db.rows.length,
      order,
      version2: run.state.version,
      sampledSome: sampled >= 0,
      schemas: schemas.map((s) => s.$schema),
      schemaTitles: schemas.map((s) => typeof s.title),
    };
  }`;
  const adopterExpected = {
    vendor: "crm-ownership",
    version: 1,
    good: "assignContactOwner",
    bad: [["users", 0, "weight"]],
    written: 2,
    order: ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"],
    version2: 2,
    sampledSome: true,
    schemas: Array(3).fill("https://json-schema.org/draft/2020-12/schema"),
    schemaTitles: ["string", "string", "string"],
  };
  writeFileSync(
    join(project, "adopter-esm.mjs"),
    `import * as api from "crm-ownership";\nimport * as testing from "crm-ownership/testing";\nimport fc from "fast-check";\n` +
      `import commands from "crm-ownership/schemas/commands.json" with { type: "json" };\n` +
      `import events from "crm-ownership/schemas/events.json" with { type: "json" };\n` +
      `import records from "crm-ownership/schemas/records.json" with { type: "json" };\n` +
      `${adopterScenario}\nconsole.log(JSON.stringify(await adopterScenario(api, testing, fc, [commands, events, records])));\n`,
  );
  writeFileSync(
    join(project, "adopter-cjs.cjs"),
    `const api = require("crm-ownership");\nconst testing = require("crm-ownership/testing");\nconst fc = require("fast-check");\n` +
      `const schemas = ["commands", "events", "records"].map((name) => require("crm-ownership/schemas/" + name + ".json"));\n` +
      `${adopterScenario}\nadopterScenario(api, testing, fc, schemas).then((out) => console.log(JSON.stringify(out)));\n`,
  );
  for (const [label, file] of [["adopter (ESM): Standard Schema, schemas by export path, async host", "adopter-esm.mjs"], ["adopter (CJS)", "adopter-cjs.cjs"]]) {
    assert.deepEqual(JSON.parse(run("node", [file], project)), adopterExpected, label);
    step(`${label}: ok`);
  }

  // ---- 6. the store subpaths, over the application's own driver objects. The drivers come from
  // this repository's node_modules (the package imports none; installing better-sqlite3 here would
  // build or download a native binary). PostgreSQL runs as PGlite, in process.
  const driverUrl = (name) => pathToFileURL(requireFromRepo.resolve(name)).href;
  const storeScenario = `async function storeScenario(api, store) {
    const first = await store.migrate();
    const again = await store.migrate();
    await store.createAccount("a", { users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
    const body = { type: "assignContactOwner", contactId: "acme", ownerId: "ben", commandId: "c-1" };
    const context = { actor: { system: "smoke" } };
    const one = await api.runCommand(store, "a", body, context);
    const two = await api.runCommand(store, "a", body, context);
    const reused = await api.runCommand(store, "a", body, { actor: { system: "someone-else" } });
    const relayed = [];
    await store.relay("a", (event, place) => { relayed.push(\`\${event.type}@\${place.version}/\${place.seq}\`); });
    const state = await store.loadAccount("a");
    return {
      migrations: [first, again],
      one: [one.ok, one.version, one.duplicate],
      two: [two.ok, two.version, two.duplicate],
      reused: [reused.ok, reused.ok ? undefined : reused.error.code],
      events: (await store.readEvents("a")).map((e) => [e.type, e.version, e.commandId, e.actor.system]),
      relayed,
      owner: api.getContact(state, "acme").ownerId,
    };
  }`;
  const storeExpected = {
    migrations: [3, 0],
    one: [true, 1, false],
    two: [true, 1, true],
    reused: [false, "COMMAND_ID_REUSED"],
    events: [["ContactOwnerChanged", 1, "c-1", "smoke"]],
    relayed: ["ContactOwnerChanged@1/0"],
    owner: "ben",
  };
  writeFileSync(
    join(project, "sqlite-esm.mjs"),
    `import * as api from "crm-ownership";\nimport { sqliteStore } from "crm-ownership/sqlite";\nimport Database from ${JSON.stringify(driverUrl("better-sqlite3"))};\n${storeScenario}\n` +
      `console.log(JSON.stringify(await storeScenario(api, sqliteStore(new Database(":memory:")))));\n`,
  );
  writeFileSync(
    join(project, "sqlite-cjs.cjs"),
    `const api = require("crm-ownership");\nconst { sqliteStore } = require("crm-ownership/sqlite");\nconst Database = require(${JSON.stringify(requireFromRepo.resolve("better-sqlite3"))});\n${storeScenario}\n` +
      `storeScenario(api, sqliteStore(new Database(":memory:"))).then((r) => console.log(JSON.stringify(r)));\n`,
  );
  writeFileSync(
    join(project, "postgres-esm.mjs"),
    `import * as api from "crm-ownership";\nimport { postgresStore } from "crm-ownership/postgres";\nimport { PGlite } from ${JSON.stringify(driverUrl("@electric-sql/pglite"))};\n${storeScenario}\n` +
      `const db = new PGlite();\nconsole.log(JSON.stringify(await storeScenario(api, postgresStore(db))));\nawait db.close();\n`,
  );
  for (const [label, file] of [
    ["crm-ownership/sqlite via import (better-sqlite3)", "sqlite-esm.mjs"],
    ["crm-ownership/sqlite via require (better-sqlite3)", "sqlite-cjs.cjs"],
    ["crm-ownership/postgres via import (PGlite)", "postgres-esm.mjs"],
  ]) {
    assert.deepEqual(JSON.parse(run("node", [file], project)), storeExpected, label);
    step(`${label}: ok`);
  }

  // ---- 7. TypeScript consumers: node16 (an ESM .ts and a CJS .cts file) and bundler
  const consumerTs = (flavour) => `import {
  createState, execute, parseCommand, getOpportunity, commandSchema,
  type Command, type CrmEvent, type CrmState, type ExecuteResult, type ErrorCode, type StandardSchemaV1,
} from "crm-ownership";
import { assertInvariants } from "crm-ownership/testing";
import { sqliteStore, type SqliteDatabase } from "crm-ownership/sqlite";
import { postgresStore, type PgPool } from "crm-ownership/postgres";

// ${flavour}
const state: CrmState = createState({ users: [{ id: "ana" }, { id: "ben" }], contacts: [{ id: "acme", ownerId: "ana" }], opportunities: [] });
const command: Command = { type: "assignContactOwner", contactId: "acme", ownerId: "ben" };
const result: ExecuteResult = execute(state, command, { actor: { userId: "ana" }, at: "2026-11-28T10:00:00Z" });
const owner: string | null | undefined = result.ok ? getOpportunity(result.state, "none")?.ownerId : null;
const code: ErrorCode | undefined = result.ok ? undefined : result.error.code;
const why = (event: CrmEvent): string => (event.type === "ContactOwnerChanged" ? \`\${event.from} -> \${event.to} (\${event.cause})\` : event.type);
const parsed = parseCommand(JSON.parse("{}") as unknown);
const parsedType: Command["type"] | undefined = parsed.ok ? parsed.command.type : undefined;
if (result.ok) assertInvariants(result.state);

// commandSchema is a Standard Schema of commands, synchronous when called directly.
const standard: StandardSchemaV1<unknown, Command> = commandSchema;
const validated = commandSchema["~standard"].validate({ type: "deleteContact", contactId: "acme" });
const validatedType: Command["type"] | undefined = validated.issues ? undefined : validated.value.type;

// The types are real, not any: each line below must be a type error.
// @ts-expect-error the snapshot's storage tables are not part of its public type
const tables = state.contacts;
// @ts-expect-error a CrmState comes from the library, not from an object literal
const forged: CrmState = { version: 0, settings: state.settings };
// @ts-expect-error ownerId is required by assignContactOwner
const missingOwner: Command = { type: "assignContactOwner", contactId: "acme" };
// @ts-expect-error no such command
const unknownType: Command = { type: "renameContact", contactId: "acme" };
// @ts-expect-error no such error code
const wrongCode: ErrorCode = "NOPE";

// The stores take structural driver types: any object with these methods.
declare const sqlite: SqliteDatabase;
declare const pool: PgPool;
const stores = [sqliteStore(sqlite), postgresStore(pool)];

export const used = [owner, code, why, parsedType, missingOwner, unknownType, wrongCode, standard, validatedType, tables, forged, stores];
`;
  mkdirSync(join(project, "ts"), { recursive: true });
  writeFileSync(join(project, "ts", "esm.ts"), consumerTs("ESM under node16: import conditions, index.d.ts"));
  writeFileSync(join(project, "ts", "cjs.cts"), consumerTs("CJS under node16: require conditions, index.d.cts"));
  const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022", lib: ["ES2022"], types: [] };
  writeFileSync(
    join(project, "tsconfig.node16.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "node16", moduleResolution: "node16" }, files: ["ts/esm.ts", "ts/cjs.cts"] }),
  );
  writeFileSync(
    join(project, "tsconfig.bundler.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "esnext", moduleResolution: "bundler" }, files: ["ts/esm.ts"] }),
  );
  for (const config of ["tsconfig.node16.json", "tsconfig.bundler.json"]) {
    try {
      run("node", [tsc, "-p", config], project);
    } catch (error) {
      throw new Error(`tsc -p ${config} failed:\n${error.stdout}${error.stderr}`);
    }
    step(`TypeScript, ${config}: ok`);
  }

  console.log("consumer smoke: all good");
} finally {
  rmSync(project, { recursive: true, force: true });
}
