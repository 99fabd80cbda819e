CREATE TABLE `platform_tins` (
	`tin` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`state` text,
	`source` text NOT NULL,
	FOREIGN KEY (`platform`) REFERENCES `platforms`(`slug`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`state`) REFERENCES `states`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "platform_tin_digits" CHECK("platform_tins"."tin" NOT GLOB '*[^0-9]*' AND length("platform_tins"."tin") IN (9, 10))
);
--> statement-breakpoint
CREATE INDEX `platform_tins_platform` ON `platform_tins` (`platform`);--> statement-breakpoint
CREATE TABLE `tic_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`source_file` text NOT NULL,
	`payer` text NOT NULL,
	`reporting_entity` text NOT NULL,
	`plan_id` text,
	`plan_name` text,
	`plan_market_type` text,
	`last_updated_on` text NOT NULL,
	`schema_version` text,
	`imported_on` text NOT NULL,
	`rates_kept` integer NOT NULL,
	`non_dollar_rates` integer NOT NULL,
	FOREIGN KEY (`payer`) REFERENCES `payers`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tic_files_sha256` ON `tic_files` (`sha256`);--> statement-breakpoint
CREATE INDEX `tic_files_payer_plan` ON `tic_files` (`payer`,`plan_id`);--> statement-breakpoint
CREATE TABLE `tic_rates` (
	`file_id` integer NOT NULL,
	`tin` text NOT NULL,
	`cpt` text NOT NULL,
	`modifiers` text DEFAULT '' NOT NULL,
	`service_codes` text DEFAULT '' NOT NULL,
	`negotiated_type` text NOT NULL,
	`negotiated_rate` real NOT NULL,
	`expiration_date` text NOT NULL,
	`networks` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`file_id`) REFERENCES `tic_files`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "tic_rate_type" CHECK(negotiated_type IN ('negotiated', 'fee schedule')),
	CONSTRAINT "tic_rate_positive" CHECK("tic_rates"."negotiated_rate" > 0)
);
--> statement-breakpoint
CREATE INDEX `tic_rates_file` ON `tic_rates` (`file_id`);--> statement-breakpoint
CREATE INDEX `tic_rates_tin_cpt` ON `tic_rates` (`tin`,`cpt`);