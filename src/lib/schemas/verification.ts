// The /verify form: a license to check, and the code a therapist comes back with (issue 12).
import { z } from "zod";
import { STATES } from "./codes.ts";

/** Undecided verification requests are deleted after this many days. */
export const VERIFICATION_EXPIRY_DAYS = 30;

export const verificationRequestSchema = z.object({
  state: z.enum(STATES, { message: "Choose the state that issued your license" }),
  license_number: z.string().trim()
    .min(2, "Enter the license number as the board shows it")
    .max(40, "A license number is at most 40 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, "Use the letters, digits, dashes and dots of the license number"),
  license_name: z.string().trim().min(2, "Enter the name as it appears on the license").max(120, "At most 120 characters"),
});

export type VerificationRequestInput = z.output<typeof verificationRequestSchema>;

/** A request code or partner grant code: 43 base64url characters (256 bits). */
export const accessCodeSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{43}$/, "The code is 43 letters, digits, dashes or underscores; paste it as it was shown");

export const verificationDecisionSchema = z.object({
  request: z.string().min(1).max(40),
  decision: z.enum(["approved", "rejected"], { message: "Choose approve or reject" }),
  reason: z.string().trim().max(500, "At most 500 characters"),
}).refine((value) => value.decision === "approved" || value.reason.length >= 3, { path: ["reason"], message: "Say why, for the therapist: they see this reason" });
