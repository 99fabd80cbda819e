CREATE TABLE `cells` (
	`cell_key` text NOT NULL,
	`cpt` text NOT NULL,
	`geo_level` text NOT NULL,
	`geo` text NOT NULL,
	`channel` text,
	`platform` text,
	`payer` text,
	`license_level` text NOT NULL,
	`license` text,
	`modality` text NOT NULL,
	`year_window` text NOT NULL,
	`n` integer,
	`n_band` text NOT NULL,
	`p10` integer,
	`p25` integer NOT NULL,
	`p50` integer NOT NULL,
	`p75` integer NOT NULL,
	`p90` integer,
	`p25_band` text NOT NULL,
	`p50_band` text NOT NULL,
	`p75_band` text NOT NULL,
	`p50_share_in_band` real NOT NULL,
	`medicare` real,
	`p50_pct_medicare` integer,
	`allowed_p50` integer,
	`take_p50` integer,
	`take_low` integer,
	`take_high` integer
);
--> statement-breakpoint
CREATE INDEX `cells_by_place` ON `cells` (`cpt`,`geo_level`,`geo`);--> statement-breakpoint
CREATE TABLE `shares` (
	`platform` text NOT NULL,
	`question` text NOT NULL,
	`n` integer NOT NULL,
	`share_pct` integer NOT NULL,
	`margin_pct` integer NOT NULL,
	PRIMARY KEY(`platform`, `question`),
	CONSTRAINT "share_n_min" CHECK("shares"."n" >= 20)
);
