-- Issue 13 (docs/decisions/0019-reports-without-rowid.md): reports, their rates and their
-- rejection days are stored WITHOUT ROWID, ordered by their random ids, so that neither the
-- database nor a backup keeps the order in which reports arrived. drizzle-kit cannot declare it:
-- this migration is written by hand, and tests/unit/without-rowid.test.ts fails if a generated
-- migration turns these tables back into rowid tables. Every column, CHECK, key and index is kept.
-- Renaming the old tables first moves the foreign keys onto the old names, so dropping them
-- cascades into nothing; the children are dropped before their parent.
ALTER TABLE `report_rejections` RENAME TO `__old_report_rejections`;--> statement-breakpoint
ALTER TABLE `rates` RENAME TO `__old_rates`;--> statement-breakpoint
ALTER TABLE `reports` RENAME TO `__old_reports`;--> statement-breakpoint
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
	`source` text NOT NULL, `verified` integer DEFAULT false NOT NULL,
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
) WITHOUT ROWID;--> statement-breakpoint
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
) WITHOUT ROWID;--> statement-breakpoint
CREATE TABLE `report_rejections` (
	`report_id` text PRIMARY KEY NOT NULL,
	`rejected_on` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "report_rejection_day" CHECK("report_rejections"."rejected_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `reports` SELECT `id`, `receipt_hash`, `month`, `state`, `license`, `years_licensed`, `channel`, `platform`, `employment`, `told_of_fee_split`, `rate_cut_12m`, `can_export_records`, `non_compete`, `equity_offered`, `caseload_pressure`, `monthly_fee_cents`, `percent_fee`, `review_status`, `hold_reason`, `source`, `verified` FROM `__old_reports`;--> statement-breakpoint
INSERT INTO `rates` SELECT `report_id`, `line`, `cpt`, `modality`, `payer`, `plan_type`, `year`, `paid_cents`, `allowed_cents` FROM `__old_rates`;--> statement-breakpoint
INSERT INTO `report_rejections` SELECT `report_id`, `rejected_on` FROM `__old_report_rejections`;--> statement-breakpoint
DROP TABLE `__old_report_rejections`;--> statement-breakpoint
DROP TABLE `__old_rates`;--> statement-breakpoint
DROP TABLE `__old_reports`;--> statement-breakpoint
CREATE INDEX `rates_cpt` ON `rates` (`cpt`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_receipt_hash` ON `reports` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `reports_status_source` ON `reports` (`review_status`,`source`);
