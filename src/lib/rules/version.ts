/** Bumped whenever a rule or statistic changes what a snapshot would publish for the same data. */
export const RULES_VERSION = "1.0.0";
