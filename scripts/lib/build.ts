// Builds the site when the build is missing or older than its sources (used by start and the test setup).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const projectRoot = resolve(import.meta.dirname, "../..");
export const serverEntry = join(projectRoot, "dist/server/entry.mjs");

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function buildIfNeeded(): void {
  const sources = ["src", "db", "public", "astro.config.mjs", "package.json"].map((p) => join(projectRoot, p)).filter(existsSync);
  if (existsSync(serverEntry) && newestMtime(serverEntry) >= Math.max(...sources.map(newestMtime))) return;
  console.log("Building the site…");
  const result = spawnSync(join(projectRoot, "node_modules/.bin/astro"), ["build"], { cwd: projectRoot, stdio: "inherit" });
  if (result.status !== 0) throw new Error("The build failed; see the messages above.");
}
