// `npm run issuance:grant -- --tokens N --note TEXT`: makes a partner grant code good for N
// Privacy Pass tokens and prints it alone on the last line (only its hash is stored).
// `--list` shows the partner grants; `--revoke ID` revokes one.
import { parseArgs } from "node:util";
import { closeDatabase, database, migrateDatabase } from "../src/lib/server/db.ts";
import { createGrant, generateGrantCode, grantCodeHash, listGrants, revokeGrant } from "../src/lib/write/tokens/grants.ts";

let values: { tokens?: string; note?: string; list?: boolean; revoke?: string };
try {
  ({ values } = parseArgs({ options: { tokens: { type: "string" }, note: { type: "string" }, list: { type: "boolean" }, revoke: { type: "string" } } }));
} catch (error) {
  console.error(`issuance:grant: ${(error as Error).message}`);
  process.exit(2);
}
const usage = "Use: npm run issuance:grant -- --tokens N --note TEXT  |  --list  |  --revoke ID";
const connection = database();
migrateDatabase(connection);
try {
  if (values.list) {
    const grants = listGrants(connection);
    if (grants.length === 0) console.log("No partner grants.");
    for (const grant of grants) {
      console.log(`${grant.id}  ${grant.month}  ${grant.left}/${grant.granted} left${grant.revoked ? "  REVOKED" : ""}  ${grant.note ?? ""}`);
    }
  } else if (values.revoke !== undefined) {
    if (!revokeGrant(connection, values.revoke)) {
      console.error(`issuance:grant: no grant has the id ${values.revoke} (see --list)`);
      process.exitCode = 1;
    } else {
      console.log(`Revoked grant ${values.revoke}: its code issues no more tokens (tokens already issued still count).`);
    }
  } else {
    const tokens = Number(values.tokens);
    const note = (values.note ?? "").trim();
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > 100_000) {
      console.error(`issuance:grant: --tokens must be a whole number from 1 to 100000. ${usage}`);
      process.exitCode = 2;
    } else if (note === "" || note.length > 200) {
      console.error(`issuance:grant: --note must say who the grant is for (1-200 characters). ${usage}`);
      process.exitCode = 2;
    } else {
      const code = generateGrantCode();
      const id = createGrant(connection.db, { codeHash: grantCodeHash(code), tokens, kind: "partner", note });
      console.log(`Grant ${id} for ${tokens} token${tokens === 1 ? "" : "s"} (${note}). The code is shown once; type it at /verify:`);
      console.log(code);
    }
  }
} finally {
  closeDatabase();
}
