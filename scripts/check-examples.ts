/**
 * Every public export carries a TSDoc comment with an `@example`, and every example compiles
 * against the public API ("crm-ownership" and its subpaths resolve to src/ here).
 * `npm run docs` runs this before typedoc. Exports tagged `@internal` are skipped (typedoc
 * leaves them out too).
 *
 * The convention for examples, so that they stay short: an example that imports nothing sees
 * every export of "crm-ownership" in scope, `state`, a `CrmState` the reader already has, and
 * `context`, the `CommandContext` of the request at hand, unless it declares its own. An example that has an `import` line is compiled exactly as
 * written. Anything else an example uses, it declares.
 *
 *   npx tsx scripts/check-examples.ts
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");
const entries: Record<string, string> = {
  "crm-ownership": join(root, "src/index.ts"),
  "crm-ownership/testing": join(root, "src/testing/index.ts"),
  "crm-ownership/sqlite": join(root, "src/stores/sqlite/index.ts"),
  "crm-ownership/postgres": join(root, "src/stores/postgres/index.ts"),
};
for (const [name, file] of Object.entries(entries)) if (!existsSync(file)) delete entries[name];

const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  },
});
if (!config) throw new Error("cannot read tsconfig.json");

const problems: string[] = [];
const examples = new Map<string, string>(); // virtual file name -> code
const rawExamples: { file: string; code: string }[] = [];
const valueExports: string[] = []; // of "crm-ownership", for the prelude
const typeExports: string[] = [];

// 1. Collect the exports and their examples.
const program = ts.createProgram(Object.values(entries), config.options);
const checker = program.getTypeChecker();
for (const [entryName, file] of Object.entries(entries)) {
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`no module symbol for ${file}`);
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = `${entryName}: ${exported.name}`;
    if (symbol.getJsDocTags(checker).some((tag) => tag.name === "internal")) continue;
    if (entryName === "crm-ownership") (symbol.flags & ts.SymbolFlags.Value ? valueExports : typeExports).push(exported.name);
    if (symbol.getDocumentationComment(checker).length === 0) problems.push(`${name}: no TSDoc comment`);
    const blocks = symbol
      .getJsDocTags(checker)
      .filter((tag) => tag.name === "example")
      .map((tag) => ts.displayPartsToString(tag.text));
    if (blocks.length === 0) {
      problems.push(`${name}: no @example`);
      continue;
    }
    blocks.forEach((block, i) => {
      const fences = [...block.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)];
      if (fences.length === 0) problems.push(`${name}: @example has no \`\`\`ts block`);
      fences.forEach((fence, j) => {
        const file = join(root, ".examples", `${rawExamples.length}-${entryName.replace("/", "-")}.${exported.name}.${i}.${j}.ts`);
        rawExamples.push({ file, code: fence[1] ?? "" });
      });
    });
  }
}

// The self-contained TypeScript blocks of the README and the guides (those with an import line),
// compiled as written. Fragments are not; neither is a block that imports a file of the reader's
// own (`from "./…"`): a test checks that one.
const pages = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
let pageBlocks = 0;
for (const page of pages) {
  [...readFileSync(join(root, page), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].forEach((fence, i) => {
    const code = fence[1] ?? "";
    if (!/^import /m.test(code) || /from "\.\.?\//.test(code)) return;
    examples.set(join(root, ".examples", `${page.replace("/", "-")}.${i}.ts`), code);
    pageBlocks += 1;
  });
}

// The prelude of an example without imports; line numbers in errors are the example's own.
const prelude = (code: string): string =>
  /^import /m.test(code)
    ? code
    : [
        `import { ${valueExports.join(", ")} } from "crm-ownership";`,
        `import type { ${typeExports.join(", ")} } from "crm-ownership";`,
        /\b(const|let|var) state\b/.test(code) ? "" : "declare const state: CrmState;",
        /\b(const|let|var) context\b/.test(code) ? "" : "declare const context: CommandContext;",
      ].join(" ") + `\n${code}`;
const withPrelude = new Set<string>();
for (const { file, code } of rawExamples) {
  const full = prelude(code);
  if (full !== code) withPrelude.add(file);
  examples.set(file, full);
}

// 2. Compile every example as its own module against the public entry points.
const options: ts.CompilerOptions = {
  ...config.options,
  noEmit: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  baseUrl: root,
  paths: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, [file]])),
};
const host = ts.createCompilerHost(options);
const { fileExists, readFile, getSourceFile } = host;
host.fileExists = (f) => examples.has(f) || fileExists.call(host, f);
host.readFile = (f) => examples.get(f) ?? readFile.call(host, f);
host.getSourceFile = (f, language, onError, create) => {
  const code = examples.get(f);
  return code === undefined ? getSourceFile.call(host, f, language, onError, create) : ts.createSourceFile(f, code, language, true);
};
const exampleProgram = ts.createProgram([...examples.keys()], options, host);
for (const diagnostic of ts.getPreEmitDiagnostics(exampleProgram)) {
  const file = diagnostic.file;
  const where = file
    ? `${file.fileName.replace(`${root}/`, "")}:${file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + (withPrelude.has(file.fileName) ? 0 : 1)}`
    : "(options)";
  problems.push(`${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ")}`);
}

if (problems.length > 0) {
  console.error(`${problems.length} problem(s) with the API's TSDoc examples:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`check-examples: ${examples.size - pageBlocks} examples on every export of ${Object.keys(entries).join(", ")} and ${pageBlocks} blocks of the README and docs/ compile`);
