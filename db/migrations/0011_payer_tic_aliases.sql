CREATE TABLE `payer_tic_aliases` (
	`alias` text PRIMARY KEY NOT NULL,
	`payer` text NOT NULL,
	FOREIGN KEY (`payer`) REFERENCES `payers`(`slug`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `payer_tic_aliases_payer` ON `payer_tic_aliases` (`payer`);