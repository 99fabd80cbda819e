// `npm run tic:import -- [--payer SLUG] [--tin PLATFORM[:STATE]=TIN]… [--plan REGEX] [--jobs N] FILE_OR_URL…`
import { parseArgs } from "node:util";
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database } from "../src/lib/server/db.ts";
import { runTicImport } from "../src/lib/write/tic/run.ts";
import { parseTinArgument, type TinMapping } from "../src/lib/write/tic/store.ts";

const usage = "usage: npm run tic:import -- [--payer SLUG] [--tin PLATFORM[:STATE]=TIN]… [--plan REGEX] [--jobs N] FILE_OR_URL…";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      payer: { type: "string" },
      tin: { type: "string", multiple: true },
      plan: { type: "string" },
      jobs: { type: "string" },
      help: { type: "boolean" },
    },
  });
}
try {
  args = parse();
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}
const tins: TinMapping[] = [];
for (const argument of args.values.tin ?? []) {
  const mapping = parseTinArgument(argument);
  if (typeof mapping === "string") fail(mapping);
  tins.push(mapping);
}
let plan: RegExp | undefined;
if (args.values.plan !== undefined) {
  try {
    plan = new RegExp(args.values.plan, "i");
  } catch (error) {
    fail(`--plan: ${(error as Error).message}`);
  }
}
const jobs = args.values.jobs === undefined ? 1 : Number(args.values.jobs);
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) fail("--jobs: a whole number from 1 to 16");
if (args.positionals.length === 0 && tins.length === 0) fail(usage);

config();
const { failures } = await runTicImport(database(), {
  sources: args.positionals,
  payer: args.values.payer,
  tins,
  plan,
  jobs,
  progress: process.stdout,
});
closeDatabase();
for (const line of failures) process.stderr.write(`${line}\n`);
process.exit(failures.length > 0 ? 1 : 0);
