// The insurer-published rates a snapshot publishes: every imported rate whose TIN is mapped to a
// platform at build time (so a corrected mapping publishes with the next snapshot), exactly.
import { eq } from "drizzle-orm";
import { platformTins, ticFiles, ticRates } from "../../../db/schema.ts";
import { mergeNetworkPrices, type PublishedPayerRate } from "../rules/published-rates.ts";
import type { Connection } from "../server/db.ts";
import { dollarsToCents } from "../shared/money.ts";

const split = (joined: string) => (joined === "" ? [] : joined.split(";"));

/** The payer-rate rows of the next snapshot: imported rates joined with today's TIN mapping, networks merged. */
export function publishedPayerRates(connection: Connection): PublishedPayerRate[] {
  const imported = connection.db
    .select({
      fileId: ticRates.fileId,
      tin: ticRates.tin,
      cpt: ticRates.cpt,
      modifiers: ticRates.modifiers,
      serviceCodes: ticRates.serviceCodes,
      negotiatedType: ticRates.negotiatedType,
      negotiatedRate: ticRates.negotiatedRate,
      expirationDate: ticRates.expirationDate,
      networks: ticRates.networks,
      platform: platformTins.platform,
      state: platformTins.state,
      payer: ticFiles.payer,
      reportingEntity: ticFiles.reportingEntity,
      lastUpdatedOn: ticFiles.lastUpdatedOn,
      sourceFile: ticFiles.sourceFile,
      sourceSha256: ticFiles.sha256,
    })
    .from(ticRates)
    .innerJoin(ticFiles, eq(ticFiles.id, ticRates.fileId))
    .innerJoin(platformTins, eq(platformTins.tin, ticRates.tin))
    .all();
  return mergeNetworkPrices(imported.map((row) => ({
    fileId: row.fileId,
    payer: row.payer,
    platform: row.platform,
    tin: row.tin,
    state: row.state,
    cpt: row.cpt,
    modifiers: split(row.modifiers),
    placeOfService: split(row.serviceCodes),
    negotiatedType: row.negotiatedType,
    // Stored as published; cents are exact for any price a file writes with two decimals.
    rateCents: dollarsToCents(row.negotiatedRate),
    networks: split(row.networks),
    expirationDate: row.expirationDate,
    reportingEntity: row.reportingEntity,
    lastUpdatedOn: row.lastUpdatedOn,
    sourceFile: row.sourceFile,
    sourceSha256: row.sourceSha256,
  })));
}
