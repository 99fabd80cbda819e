CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`moderator_id` text,
	`moderator_email` text,
	`action` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	CONSTRAINT "audit_at_minute" CHECK(length("audit_log"."at") = 16)
);
--> statement-breakpoint
CREATE TABLE `moderators` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`totp_key` text,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`created_at` text NOT NULL,
	CONSTRAINT "moderator_email_lowercase" CHECK("moderators"."email" = lower("moderators"."email")),
	CONSTRAINT "moderator_failed_logins" CHECK("moderators"."failed_logins" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderators_email` ON `moderators` (`email`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`moderator_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` text,
	PRIMARY KEY(`moderator_id`, `code_hash`),
	FOREIGN KEY (`moderator_id`) REFERENCES `moderators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`moderator_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`two_factor_verified` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`moderator_id`) REFERENCES `moderators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_moderator` ON `sessions` (`moderator_id`);