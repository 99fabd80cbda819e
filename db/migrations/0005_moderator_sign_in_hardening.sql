ALTER TABLE `moderators` ADD `setup_nonce` text;--> statement-breakpoint
ALTER TABLE `moderators` ADD `totp_last_step` integer;--> statement-breakpoint
ALTER TABLE `moderators` ADD `failed_codes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `failed_codes` integer DEFAULT 0 NOT NULL;