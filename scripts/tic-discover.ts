// `npm run tic:discover -- FILE_OR_URL --name REGEX`: TINs whose business_name matches, with their psychotherapy rates.
import { parseArgs } from "node:util";
import { readSeedData } from "../src/lib/write/reference-seed.ts";
import { discoverTins } from "../src/lib/write/tic/discover.ts";
import { TicFormatError } from "../src/lib/write/tic/scanner.ts";
import { sourceName } from "../src/lib/write/tic/source.ts";

const usage = "usage: npm run tic:discover -- FILE_OR_URL --name REGEX   (e.g. --name 'headway|alma|grow|rula|sondermind')";
let values: { name?: string | undefined };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({ allowPositionals: true, options: { name: { type: "string" } } }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
if (positionals.length !== 1 || values.name === undefined) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
let name: RegExp;
try {
  name = new RegExp(values.name, "i");
} catch (error) {
  process.stderr.write(`--name: ${(error as Error).message}\n`);
  process.exit(2);
}
const source = positionals[0]!;
try {
  const cpts = new Set(readSeedData().cptCodes.map((c) => c.code));
  const found = await discoverTins(source, name, cpts);
  if (found.length === 0) console.log(`No provider group in ${sourceName(source)} has a business_name matching /${values.name}/i.`);
  else {
    console.log(`${"TIN".padEnd(10)}  ${"rates".padStart(7)}  business names (psychotherapy rates: professional, in dollars)`);
    for (const tin of found) console.log(`${tin.tin.padEnd(10)}  ${String(tin.rates).padStart(7)}  ${tin.businessNames.join("; ")}`);
    console.log(`\nConfirm a mapping from a public source, then: npm run tic:import -- --tin PLATFORM[:STATE]=TIN …, or add it at /mod/reference.`);
  }
} catch (error) {
  const byte = error instanceof TicFormatError ? error.byte : 0;
  process.stderr.write(`${sourceName(source)}: byte ${byte}: ${(error as Error).message}\n`);
  process.exit(1);
}
