// The schema of one snapshot file (<database>.snapshots/snapshot-<id>.db): the published cells and
// shares, immutable once written. Pages and the API read these files and nothing else.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const publishedCells = sqliteTable("cells", {
  cellKey: text("cell_key").notNull(),
  cpt: text("cpt").notNull(),
  geoLevel: text("geo_level").notNull(),
  geo: text("geo").notNull(),
  channel: text("channel"),
  platform: text("platform"),
  payer: text("payer"),
  licenseLevel: text("license_level").notNull(),
  license: text("license"),
  modality: text("modality").notNull(),
  yearWindow: text("year_window").notNull(),
  n: integer("n"),
  nBand: text("n_band").notNull(),
  p10: integer("p10"),
  p25: integer("p25").notNull(),
  p50: integer("p50").notNull(),
  p75: integer("p75").notNull(),
  p90: integer("p90"),
  p25Band: text("p25_band").notNull(),
  p50Band: text("p50_band").notNull(),
  p75Band: text("p75_band").notNull(),
  p50ShareInBand: real("p50_share_in_band").notNull(),
  medicare: real("medicare"),
  p50PctMedicare: integer("p50_pct_medicare"),
  allowedP50: integer("allowed_p50"),
  takeP50: integer("take_p50"),
  takeLow: integer("take_low"),
  takeHigh: integer("take_high"),
}, (t) => [
  // No CHECK constraints here: rows are written only by computeCells, whose output types and
  // tests pin these values, and checks on millions of rows cost seconds per snapshot.
  index("cells_by_place").on(t.cpt, t.geoLevel, t.geo),
]);

export const publishedShares = sqliteTable("shares", {
  platform: text("platform").notNull(),
  question: text("question").notNull(),
  n: integer("n").notNull(),
  sharePct: integer("share_pct").notNull(),
  marginPct: integer("margin_pct").notNull(),
}, (t) => [
  primaryKey({ columns: [t.platform, t.question] }),
  check("share_n_min", sql`${t.n} >= 20`),
]);
