CREATE TABLE `issuance_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`kind` text NOT NULL,
	`tokens_granted` integer NOT NULL,
	`tokens_left` integer NOT NULL,
	`note` text,
	`month` text NOT NULL,
	`revoked` integer DEFAULT false NOT NULL,
	CONSTRAINT "issuance_grant_kind" CHECK(kind IN ('partner', 'license')),
	CONSTRAINT "issuance_grant_tokens" CHECK("issuance_grants"."tokens_left" >= 0 AND "issuance_grants"."tokens_left" <= "issuance_grants"."tokens_granted")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issuance_grants_code_hash` ON `issuance_grants` (`code_hash`);--> statement-breakpoint
CREATE TABLE `verification_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`state` text,
	`license_number` text,
	`license_name` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`requested_on` text,
	`year` integer NOT NULL,
	`license_hmac` text,
	`tokens_granted` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "verification_status" CHECK(status IN ('pending', 'approved', 'rejected')),
	CONSTRAINT "verification_erased" CHECK("verification_requests"."status" = 'pending' OR ("verification_requests"."license_number" IS NULL AND "verification_requests"."license_name" IS NULL AND "verification_requests"."state" IS NULL AND "verification_requests"."requested_on" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verification_requests_code_hash` ON `verification_requests` (`code_hash`);--> statement-breakpoint
CREATE INDEX `verification_requests_license` ON `verification_requests` (`license_hmac`,`year`);