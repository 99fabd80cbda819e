// How a file's reporting_entity_name is compared with payer aliases (dependency-free: worker threads load it).

/** Trimmed, inner spaces collapsed, lower case. */
export function normalizeAlias(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}
