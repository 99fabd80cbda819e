// The snapshot workers' source files are found beside their module, or (for the built server,
// whose bundle has no worker files) under the working directory's src/lib/write/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { workerFile } from "../../src/lib/write/worker-file.ts";

const root = join(import.meta.dirname, "../..");
const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

describe("workerFile", () => {
  it("finds a worker beside the module that starts it", () => {
    const module = pathToFileURL(join(root, "src/lib/write/snapshot-threads.ts")).href;
    expect(workerFile("snapshot-worker.ts", module)).toBe(join(root, "src/lib/write/snapshot-worker.ts"));
    expect(workerFile("snapshot-loader-worker.ts", module)).toBe(join(root, "src/lib/write/snapshot-loader-worker.ts"));
  });

  it("finds it in the repository's sources from a bundle elsewhere, and nothing where neither has it", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "ratecard-bundle-"));
    try {
      const bundled = pathToFileURL(join(elsewhere, "chunks/mod_abc.mjs")).href;
      process.chdir(root);
      expect(workerFile("snapshot-worker.ts", bundled)).toBe(join(root, "src/lib/write/snapshot-worker.ts"));
      process.chdir(elsewhere);
      expect(workerFile("snapshot-worker.ts", bundled)).toBeNull();
      expect(workerFile("no-such-worker.ts", pathToFileURL(join(root, "src/lib/write/snapshot-threads.ts")).href)).toBeNull();
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
