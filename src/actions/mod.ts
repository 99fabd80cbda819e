// Moderation form actions. The middleware already refuses them without a session and second
// factor; each handler checks again, so no action depends on one guard alone.
import { ActionError, defineAction, type ActionAPIContext } from "astro:actions";
import { z } from "zod";
import { audit } from "../lib/write/auth/audit.ts";
import { attemptLogin, findModerator, moderatorForSetupToken, setPassword } from "../lib/write/auth/moderators.ts";
import { checkSecondFactor } from "../lib/write/auth/second-factor.ts";
import { verifyPassword } from "../lib/write/auth/passwords.ts";
import { SESSION_COOKIE, createSession, invalidateAllSessions, sessionCookieOptions } from "../lib/write/auth/sessions.ts";
import { enrollTotp, openTotpKey } from "../lib/write/auth/totp.ts";
import { config } from "../lib/server/config.ts";
import { database } from "../lib/server/db.ts";
import { revealExactAmounts, reviewReport } from "../lib/write/moderation.ts";
import { holdBurst } from "../lib/write/bursts.ts";
import { verificationDecisionSchema } from "../lib/schemas/verification.ts";
import { decideVerification, licenseKeyDir } from "../lib/write/tokens/verifications.ts";
import { saveCptLabel, saveMedicareAmount, savePayer, savePlatform } from "../lib/write/reference-edit.ts";
import { resolveTinMappingReport } from "../lib/write/tin-mapping-reports.ts";
import { requestClientAddress, requestIsHttps } from "../lib/server/request.ts";
import { buildSnapshot } from "../lib/write/snapshot.ts";
import { publishLimited } from "../lib/write/publish-limit.ts";
import { fieldErrors, type FieldError } from "../lib/schemas/report.ts";
import {
  cptEditSchema, medicareEditSchema, parseOwnerLines, payerEditSchema, platformEditSchema,
} from "../lib/schemas/reference.ts";
import { tinMappingEditSchema, tinRemoveSchema } from "../lib/schemas/tic-mapping.ts";
import { removeModeratorTinMapping, saveModeratorTinMapping } from "../lib/write/tic/mapping-edit.ts";

const GENERIC_SIGN_IN_ERROR = "That email and password did not work, or sign-in is paused for a while. Try again later.";

type Failure = { ok: false; errors: FieldError[]; status?: 401 | 429; retryAfterSeconds?: number };
const failure = (path: string, message: string): Failure => ({ ok: false, errors: [{ path, message }] });

/** The answer to a client that must wait: it names the wait, and nothing about any account. */
function throttled(path: string, retryAfterSeconds: number): Failure {
  const wait = retryAfterSeconds < 90
    ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`
    : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return {
    ok: false, status: 429, retryAfterSeconds,
    errors: [{ path, message: `Too many sign-in attempts from this connection. Please wait ${wait} before trying again.` }],
  };
}
const field = (form: FormData, name: string) => String(form.get(name) ?? "").slice(0, 5000);

function signedIn(context: ActionAPIContext, { secondFactor = true } = {}) {
  const { moderator, session } = context.locals;
  if (!moderator || !session || (secondFactor && !session.twoFactorVerified)) {
    throw new ActionError({ code: "UNAUTHORIZED", message: "Sign in as a moderator first" });
  }
  return { moderator, session };
}

function setSessionCookie(context: ActionAPIContext, token: string, expiresAt: string) {
  context.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(requestIsHttps(context), expiresAt));
}

export const mod = {
  login: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: async (form, context) => {
      const result = await attemptLogin(database().db, field(form, "email"), field(form, "password"), requestClientAddress(context));
      if (!result.ok) return result.retryAfterSeconds !== undefined ? throttled("", result.retryAfterSeconds) : failure("", GENERIC_SIGN_IN_ERROR);
      const { token, session } = createSession(database().db, result.moderator.id);
      setSessionCookie(context, token, session.expiresAt);
      return { ok: true as const, next: result.moderator.totpKey ? "/mod/2fa" : "/mod/2fa/setup" };
    },
  }),

  setup: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: async (form) => {
      const { db } = database();
      const moderator = moderatorForSetupToken(db, field(form, "token"), config().RATECARD_SECRET);
      if (!moderator) return failure("token", "This set-up link has expired or was already used. Ask for a new one.");
      const password = field(form, "password");
      if (password !== field(form, "confirm")) return failure("confirm", "The two passwords differ.");
      const result = await setPassword(db, moderator, password);
      return result.ok ? { ok: true as const } : failure("password", result.message);
    },
  }),

  enrollTotp: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator, session } = signedIn(context, { secondFactor: false });
      const { db } = database();
      if (moderator.totpKey) return failure("", "A second factor is already set up for this account.");
      const sealed = field(form, "key");
      let key: Uint8Array;
      try {
        key = openTotpKey(sealed, config().RATECARD_SECRET);
      } catch {
        return failure("", "The enrolment expired; scan the new code below.");
      }
      const enrolled = enrollTotp(db, moderator, session.id, sealed, key, field(form, "code"));
      if (enrolled.ok) return { ok: true as const, recoveryCodes: enrolled.recoveryCodes };
      if (enrolled.reason === "enrolled") return failure("", "A second factor is already set up for this account.");
      return { ...failure("code", "That code did not match. Check your device's clock and try the current code."), key: sealed };
    },
  }),

  verifyTotp: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const current = signedIn(context, { secondFactor: false });
      const outcome = checkSecondFactor(database().db, current, field(form, "code"), config().RATECARD_SECRET, requestClientAddress(context));
      if (outcome.ok) return { ok: true as const };
      if (outcome.retryAfterSeconds !== undefined) return throttled("code", outcome.retryAfterSeconds);
      if (outcome.unreadable) {
        return { ...failure("code", "Your second factor can no longer be read on this server. Ask an administrator to reset your account."), status: 401 as const };
      }
      if (outcome.sessionEnded) {
        context.cookies.delete(SESSION_COOKIE, { path: "/mod" });
        return { ...failure("code", "Too many wrong codes: you are signed out and sign-in is paused for a while."), status: 401 as const, signedOut: true };
      }
      return failure("code", "That code did not work, or it was already used. Wait for the next code.");
    },
  }),

  logout: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (_form, context) => {
      // Decision 0002: signing out ends every session of the moderator, not only this one.
      const { moderator } = signedIn(context, { secondFactor: false });
      const { db } = database();
      db.transaction((tx) => {
        invalidateAllSessions(tx, moderator.id);
        audit(tx, moderator, "sign_out");
      });
      context.cookies.delete(SESSION_COOKIE, { path: "/mod" });
      return { ok: true as const };
    },
  }),

  signOutEverywhere: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (_form, context) => {
      const { moderator } = signedIn(context);
      const { db } = database();
      db.transaction((tx) => {
        invalidateAllSessions(tx, moderator.id);
        audit(tx, moderator, "sign_out.everywhere");
      });
      context.cookies.delete(SESSION_COOKIE, { path: "/mod" });
      return { ok: true as const };
    },
  }),

  changePassword: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: async (form, context) => {
      const { moderator } = signedIn(context);
      const { db } = database();
      const row = findModerator(db, moderator.id);
      if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, field(form, "current")))) return failure("current", "Your current password is not right.");
      if (field(form, "password") !== field(form, "confirm")) return failure("confirm", "The two new passwords differ.");
      const result = await setPassword(db, row, field(form, "password"));
      if (!result.ok) return failure("password", result.message);
      context.cookies.delete(SESSION_COOKIE, { path: "/mod" });
      return { ok: true as const };
    },
  }),

  review: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const decision = field(form, "decision");
      if (decision !== "accepted" && decision !== "rejected") return failure("decision", "Choose approve or reject.");
      const changed = reviewReport(database(), field(form, "report"), decision, moderator);
      return changed ? { ok: true as const, decision } : failure("report", "That report is no longer waiting for review.");
    },
  }),

  /** Issue 12 item 5: hold one listed burst's reports for review (never automatic); audited by cell and band. */
  holdBurst: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const optional = (name: string) => field(form, name) || null;
      const cell = { cpt: field(form, "cpt"), state: field(form, "state"), channel: field(form, "channel"), platform: optional("platform"), payer: optional("payer") };
      const { RATECARD_K, RATECARD_BURST_THRESHOLD } = config();
      const outcome = holdBurst(database(), cell, moderator, RATECARD_K, RATECARD_BURST_THRESHOLD);
      return outcome.ok ? { ok: true as const, nBand: outcome.nBand } : failure("burst", "That burst is no longer listed: it was held already, or a snapshot was published since.");
    },
  }),

  /** Issue 13 item 15: one held report's exact amounts, on an explicit request that is audited. */
  showAmounts: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const report = field(form, "report");
      const amounts = revealExactAmounts(database(), report, moderator);
      return amounts ? { ok: true as const, report, amounts } : failure("report", "That report is no longer waiting for review.");
    },
  }),

  /** Issue 12: approve or reject a license verification; the decision erases the license. */
  decideVerification: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      signedIn(context);
      const parsed = verificationDecisionSchema.safeParse({ request: field(form, "request"), decision: field(form, "decision"), reason: field(form, "reason") });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), request: field(form, "request") };
      const outcome = decideVerification(database(), parsed.data.request, parsed.data, { keyDir: licenseKeyDir(), cap: config().RATECARD_TOKENS_PER_LICENSE });
      if (!outcome.ok) return { ok: false as const, errors: [{ path: "request", message: outcome.message }], request: parsed.data.request };
      return { ok: true as const, decision: parsed.data.decision, tokens: outcome.tokens };
    },
  }),

  savePlatform: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const parsed = platformEditSchema.safeParse({
        slug: field(form, "slug"), name: field(form, "name"), website: field(form, "website"), feeModel: field(form, "feeModel"),
        feeModelSource: field(form, "feeModelSource"), feeModelSourceUrl: field(form, "feeModelSourceUrl"),
        contractHolder: field(form, "contractHolder"), contractHolderSource: field(form, "contractHolderSource"),
        contractHolderSourceUrl: field(form, "contractHolderSourceUrl"), owners: parseOwnerLines(field(form, "owners")),
      });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "platform", key: field(form, "slug") };
      savePlatform(database().db, parsed.data, moderator);
      return { ok: true as const, saved: `platform ${parsed.data.slug}` };
    },
  }),

  savePayer: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const sourceUrl = field(form, "sourceUrl").trim();
      const parsed = payerEditSchema.safeParse({
        slug: field(form, "slug"), name: field(form, "name"), planTypes: form.getAll("planTypes").map(String),
        notes: field(form, "notes"), sourceUrl: sourceUrl === "" ? null : sourceUrl,
      });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "payer", key: field(form, "slug") };
      savePayer(database().db, parsed.data, moderator);
      return { ok: true as const, saved: `payer ${parsed.data.slug}` };
    },
  }),

  saveCpt: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const parsed = cptEditSchema.safeParse({ code: field(form, "code"), label: field(form, "label"), description: field(form, "description") });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "cpt", key: field(form, "code") };
      if (!saveCptLabel(database().db, parsed.data, moderator)) return failure("code", "No such CPT code.");
      return { ok: true as const, saved: `CPT ${parsed.data.code}` };
    },
  }),

  saveMedicare: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const parsed = medicareEditSchema.safeParse({
        cpt: field(form, "cpt"), year: field(form, "year"), amount: field(form, "amount"), source: field(form, "source"), sourceUrl: field(form, "sourceUrl"),
      });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "medicare", key: field(form, "cpt") };
      saveMedicareAmount(database().db, parsed.data, moderator);
      return { ok: true as const, saved: `Medicare ${parsed.data.cpt} ${parsed.data.year}` };
    },
  }),

  publishSnapshot: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (_form, context) => {
      const { moderator } = signedIn(context);
      const published = publishLimited(() => buildSnapshot(database(), { k: config().RATECARD_K, trigger: "moderator" }));
      if (!published.ok) return { ok: false as const, waitMinutes: Math.ceil(published.retryAfterSeconds / 60) };
      const snapshot = published.value;
      audit(database().db, moderator, "snapshot.published", { snapshot: snapshot.id, cells: snapshot.cellsPublished });
      return { ok: true as const, snapshot: snapshot.id, cells: snapshot.cellsPublished };
    },
  }),

  resolveTinReport: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const { db } = database();
      const id = field(form, "id");
      if (!resolveTinMappingReport(db, id)) return failure("id", "That report is not open any more.");
      audit(db, moderator, "tin_report.resolved", { id });
      return { ok: true as const, saved: "report resolved" };
    },
  }),

  // Issue 11: which platform an insurer file's TIN belongs to, each with its source.
  saveTin: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const parsed = tinMappingEditSchema.safeParse({ tin: field(form, "tin"), platform: field(form, "platform"), state: field(form, "state"), source: field(form, "source") });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "tin", key: field(form, "tin") };
      const problem = saveModeratorTinMapping(database().db, parsed.data, moderator);
      if (problem) return failure("platform", `Not saved: ${problem}.`);
      return { ok: true as const, saved: `TIN ${parsed.data.tin} (${parsed.data.platform}${parsed.data.state ? `, ${parsed.data.state}` : ""})` };
    },
  }),

  removeTin: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context) => {
      const { moderator } = signedIn(context);
      const parsed = tinRemoveSchema.safeParse({ tin: field(form, "tin") });
      if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error), table: "tin", key: field(form, "tin") };
      if (!removeModeratorTinMapping(database().db, parsed.data.tin, moderator)) return failure("tin", "No such TIN mapping.");
      return { ok: true as const, saved: `the removal of TIN ${parsed.data.tin}` };
    },
  }),
};
