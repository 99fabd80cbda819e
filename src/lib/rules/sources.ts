// Rule "Demo and real": which reports a snapshot may contain.

export type SnapshotSource = "crowd" | "demo";

/**
 * Demo reports are used only while no accepted crowd report exists; the two are never mixed.
 * The snapshot loader (src/lib/write/snapshot-loader.ts) then reads the accepted reports of this
 * source only, in SQL; tests/unit/setup.test.ts checks what a built snapshot used.
 */
export function snapshotSource(acceptedCrowdReports: number): SnapshotSource {
  return acceptedCrowdReports > 0 ? "crowd" : "demo";
}
