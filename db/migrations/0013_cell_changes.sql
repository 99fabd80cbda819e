CREATE TABLE `cell_changes` (
	`cell_key` text NOT NULL,
	`snapshot_id` integer NOT NULL,
	`kind` text NOT NULL,
	`verified` integer NOT NULL,
	`figures` text,
	PRIMARY KEY(`cell_key`, `snapshot_id`),
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "cell_change_kind" CHECK(kind IN ('added', 'changed', 'removed', 'take')),
	CONSTRAINT "cell_change_figures" CHECK(("cell_changes"."kind" = 'removed') = ("cell_changes"."figures" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `cell_changes_snapshot` ON `cell_changes` (`snapshot_id`,`verified`,`kind`);--> statement-breakpoint
ALTER TABLE `snapshots` ADD `changes_recorded` integer DEFAULT false NOT NULL;