// Rule "Demo and real": which reports a snapshot may contain.

export type SnapshotSource = "crowd" | "demo";

/** Demo reports are used only while no accepted crowd report exists; the two are never mixed. */
export function snapshotSource(acceptedCrowdReports: number): SnapshotSource {
  return acceptedCrowdReports > 0 ? "crowd" : "demo";
}

export function includedInSnapshot(
  report: { reviewStatus: string; source: string },
  source: SnapshotSource,
): boolean {
  return report.reviewStatus === "accepted" && report.source === source;
}
