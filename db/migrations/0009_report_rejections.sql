CREATE TABLE `report_rejections` (
	`report_id` text PRIMARY KEY NOT NULL,
	`rejected_on` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "report_rejection_day" CHECK("report_rejections"."rejected_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
