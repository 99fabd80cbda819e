-- Issue 12: spent Privacy Pass tokens. WITHOUT ROWID: the table is its primary key, with no
-- rowid that would record the order tokens were spent in. A hash of the token, the month, nothing else.
CREATE TABLE `spent_tokens` (
	`token_hash` blob PRIMARY KEY NOT NULL CHECK (length(`token_hash`) = 32),
	`month` text NOT NULL CHECK (`month` GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;
