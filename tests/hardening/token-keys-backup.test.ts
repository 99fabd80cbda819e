// The Privacy Pass issuer key and the license HMAC key live in the data folder and never in a
// backup (issue 12): a backup of the database must not carry the keys that would let its holder
// sign tokens or test license numbers against the kept HMACs.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { loadIssuerKeys } from "../../src/lib/write/tokens/issuer-keys.ts";
import { licenseKey } from "../../src/lib/write/tokens/verifications.ts";
import { PROJECT_ROOT } from "../helpers/server.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-keys-backup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(path: string): string[] {
  return readdirSync(path).flatMap((name) => (statSync(join(path, name)).isDirectory() ? filesUnder(join(path, name)) : [join(path, name)]));
}

describe("npm run backup", () => {
  it("copies neither the issuer key nor the license key", { timeout: 120_000 }, async () => {
    const dbPath = join(dir, "ratecard.db");
    const connection = openDatabase(dbPath);
    prepareDatabase(connection, { demo: false, k: 5 });
    const key = licenseKey(connection, dir);
    connection.sqlite.close();
    const issuer = await loadIssuerKeys(dir);
    const issuerJwk = JSON.parse(readFileSync(join(dir, `privacy-pass-issuer-${issuer.issuing.year}.jwk`), "utf8")) as { d: string };

    await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, "scripts/backup.ts")], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_PATH: dbPath } });
    const files = filesUnder(join(dir, "backups"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).not.toMatch(/privacy-pass-issuer|license-hmac-key/);
      const bytes = readFileSync(file);
      expect(bytes.includes(key), file).toBe(false);
      expect(bytes.includes(key.toString("base64url")), file).toBe(false);
      expect(bytes.includes(issuerJwk.d.slice(0, 64)), file).toBe(false);
    }
  });
});
