// Where a worker thread's source file is. Beside the module that starts it when run from the
// sources (npm start's scheduler, npm run snapshot); the built server (dist/, where a moderator's
// "publish now" runs) bundles the module but not the worker files, and runs from the repository,
// so there they are found under the working directory's src/lib/write/. Null when neither exists.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export function workerFile(name: string, besideModule: string): string | null {
  const beside = fileURLToPath(new URL(`./${name}`, besideModule));
  if (existsSync(beside)) return beside;
  const inSources = join(process.cwd(), "src/lib/write", name);
  return existsSync(inSources) ? inSources : null;
}
