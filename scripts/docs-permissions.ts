/** Renders docs/permissions.md from the permissions table the test suite runs (`npm run docs:permissions`). */
import { writeFileSync } from "node:fs";
import { renderPermissionsDoc } from "../test/permissions-table.js";

writeFileSync(new URL("../docs/permissions.md", import.meta.url), renderPermissionsDoc());
console.log("docs/permissions.md written");
