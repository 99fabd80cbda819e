CREATE TABLE `census_divisions` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`region` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cpt_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`description` text NOT NULL,
	`minutes` integer,
	`is_add_on` integer DEFAULT false NOT NULL,
	`sort` integer NOT NULL,
	CONSTRAINT "cpt_code_format" CHECK(length("cpt_codes"."code") = 5)
);
--> statement-breakpoint
CREATE TABLE `license_groups` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sort` integer NOT NULL,
	CONSTRAINT "license_group_slug" CHECK(slug IN ('masters', 'doctoral', 'prescriber', 'prelicensed'))
);
--> statement-breakpoint
CREATE TABLE `license_types` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`group_slug` text NOT NULL,
	`sort` integer NOT NULL,
	FOREIGN KEY (`group_slug`) REFERENCES `license_groups`(`slug`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "license_type_slug" CHECK(slug IN ('lcsw', 'lpc', 'lmft', 'psychologist', 'psychiatrist', 'pmhnp', 'associate'))
);
--> statement-breakpoint
CREATE TABLE `medicare_rates` (
	`cpt` text NOT NULL,
	`year` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`source` text NOT NULL,
	`source_url` text NOT NULL,
	PRIMARY KEY(`cpt`, `year`),
	FOREIGN KEY (`cpt`) REFERENCES `cpt_codes`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "medicare_amount_positive" CHECK("medicare_rates"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE `payers` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`plan_types` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`source_url` text
);
--> statement-breakpoint
CREATE TABLE `platforms` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`website` text NOT NULL,
	`fee_model` text NOT NULL,
	`fee_model_source` text NOT NULL,
	`fee_model_source_url` text NOT NULL,
	`contract_holder` text NOT NULL,
	`contract_holder_source` text NOT NULL,
	`contract_holder_source_url` text NOT NULL,
	`owners` text NOT NULL,
	CONSTRAINT "platform_contract_holder" CHECK(contract_holder IN ('platform', 'therapist', 'mixed', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE `rates` (
	`report_id` text NOT NULL,
	`line` integer NOT NULL,
	`cpt` text NOT NULL,
	`modality` text NOT NULL,
	`payer` text,
	`plan_type` text NOT NULL,
	`year` integer NOT NULL,
	`paid_cents` integer NOT NULL,
	`allowed_cents` integer,
	PRIMARY KEY(`report_id`, `line`),
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cpt`) REFERENCES `cpt_codes`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer`) REFERENCES `payers`(`slug`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "rate_line" CHECK("rates"."line" BETWEEN 1 AND 10),
	CONSTRAINT "rate_modality" CHECK(modality IN ('in_person', 'telehealth')),
	CONSTRAINT "rate_plan_type" CHECK(plan_type IN ('commercial', 'medicare', 'medicare_advantage', 'medicaid', 'tricare', 'eap', 'unknown')),
	CONSTRAINT "rate_year" CHECK("rates"."year" BETWEEN 2000 AND 2100),
	CONSTRAINT "rate_paid_positive" CHECK("rates"."paid_cents" > 0),
	CONSTRAINT "rate_allowed_positive" CHECK("rates"."allowed_cents" IS NULL OR "rates"."allowed_cents" > 0)
);
--> statement-breakpoint
CREATE INDEX `rates_cpt` ON `rates` (`cpt`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`receipt_hash` text NOT NULL,
	`month` text NOT NULL,
	`state` text NOT NULL,
	`license` text NOT NULL,
	`years_licensed` text NOT NULL,
	`channel` text NOT NULL,
	`platform` text,
	`employment` text,
	`told_of_fee_split` integer,
	`rate_cut_12m` integer,
	`can_export_records` integer,
	`non_compete` integer,
	`equity_offered` integer,
	`caseload_pressure` integer,
	`monthly_fee_cents` integer,
	`percent_fee` real,
	`review_status` text NOT NULL,
	`hold_reason` text,
	`source` text NOT NULL,
	FOREIGN KEY (`state`) REFERENCES `states`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`license`) REFERENCES `license_types`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform`) REFERENCES `platforms`(`slug`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "report_month_format" CHECK("reports"."month" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
	CONSTRAINT "report_years_licensed" CHECK(years_licensed IN ('0-2', '3-4', '5-9', '10-19', '20+')),
	CONSTRAINT "report_channel" CHECK(channel IN ('platform', 'direct', 'group', 'self_pay')),
	CONSTRAINT "report_platform_iff_channel" CHECK(("reports"."channel" = 'platform') = ("reports"."platform" IS NOT NULL)),
	CONSTRAINT "report_employment" CHECK(employment IS NULL OR employment IN ('1099', 'w2')),
	CONSTRAINT "report_told_of_fee_split" CHECK(told_of_fee_split IS NULL OR told_of_fee_split IN (0, 1)),
	CONSTRAINT "report_rate_cut_12m" CHECK(rate_cut_12m IS NULL OR rate_cut_12m IN (0, 1)),
	CONSTRAINT "report_can_export_records" CHECK(can_export_records IS NULL OR can_export_records IN (0, 1)),
	CONSTRAINT "report_non_compete" CHECK(non_compete IS NULL OR non_compete IN (0, 1)),
	CONSTRAINT "report_equity_offered" CHECK(equity_offered IS NULL OR equity_offered IN (0, 1)),
	CONSTRAINT "report_caseload_pressure" CHECK("reports"."caseload_pressure" IS NULL OR "reports"."caseload_pressure" BETWEEN 1 AND 5),
	CONSTRAINT "report_monthly_fee" CHECK("reports"."monthly_fee_cents" IS NULL OR "reports"."monthly_fee_cents" >= 0),
	CONSTRAINT "report_percent_fee" CHECK("reports"."percent_fee" IS NULL OR "reports"."percent_fee" BETWEEN 0 AND 100),
	CONSTRAINT "report_review_status" CHECK(review_status IN ('accepted', 'pending', 'rejected')),
	CONSTRAINT "report_source" CHECK(source IN ('crowd', 'demo'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_receipt_hash` ON `reports` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `reports_status_source` ON `reports` (`review_status`,`source`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`rules_version` text NOT NULL,
	`k` integer NOT NULL,
	`band_edges` text NOT NULL,
	`is_demo` integer NOT NULL,
	`reports_used` integer NOT NULL,
	`cells_published` integer NOT NULL,
	`cells_suppressed` text NOT NULL,
	`trigger` text NOT NULL,
	CONSTRAINT "snapshot_k_min" CHECK("snapshots"."k" >= 3),
	CONSTRAINT "snapshot_trigger" CHECK(trigger IN ('start', 'schedule', 'script', 'moderator'))
);
--> statement-breakpoint
CREATE TABLE `states` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`division` text NOT NULL,
	FOREIGN KEY (`division`) REFERENCES `census_divisions`(`slug`) ON UPDATE no action ON DELETE no action
);
