CREATE TABLE `tin_mapping_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`tin` text NOT NULL,
	`platform` text,
	`message` text NOT NULL,
	`month` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	FOREIGN KEY (`platform`) REFERENCES `platforms`(`slug`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tin_mapping_report_digits" CHECK("tin_mapping_reports"."tin" NOT GLOB '*[^0-9]*' AND length("tin_mapping_reports"."tin") IN (9, 10)),
	CONSTRAINT "tin_mapping_report_status" CHECK(status IN ('open', 'resolved'))
);
--> statement-breakpoint
CREATE INDEX `tin_mapping_reports_status` ON `tin_mapping_reports` (`status`);