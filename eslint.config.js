// Lint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-astro, plus the
// privacy boundary as import rules (docs/decisions/0013-eslint-privacy-boundary.md):
//   - the read side (src/lib/read/, and every page except the write-side routes) never imports
//     src/lib/write/, the demo generator, or the write-side tables of db/schema.ts;
//   - nothing that is on neither side (server/, shared/, rules/, schemas/, components, the
//     public layout) imports src/lib/write/ either, so the read side cannot reach it through them;
//   - public pages and the layout get the current snapshot one way (currentSnapshot);
//   - browser code (src/scripts/, <script> in .astro) imports, of the project's own modules, only
//     src/lib/shared/, src/lib/rules/ and other browser scripts.
import js from "@eslint/js";
import astro from "eslint-plugin-astro";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Tables that hold reports or moderator accounts: only the write side may name them. */
export const WRITE_SIDE_TABLES = ["reports", "rates", "moderators", "recoveryCodes", "sessions", "auditLog", "issuanceGrants", "verificationRequests"];

/** Pages that take reports or serve moderators: the only routes that may import the write side. */
export const WRITE_SIDE_PAGES = [
  "src/pages/mod/**",
  "src/pages/api/v1/reports/**",
  "src/pages/api/v1/token-*",
  "src/pages/api/v1/token-*/**",
  "src/pages/share.astro",
  "src/pages/receipt.astro",
  "src/pages/verify*",
  "src/pages/verify*/**",
  // Issue 12: the Privacy Pass issuer directory reads the issuer key.
  "src/pages/.well-known/private-token-issuer-directory.ts",
];

const noWriteModules = {
  regex: "(^|/)(lib/)?write/|(^|/)db/seed/demo(\\.ts)?$",
  message: "Read-side and shared code never imports the write side (src/lib/write/, the demo generator); see docs/decisions/0013-eslint-privacy-boundary.md.",
};
const noWriteTables = {
  regex: "(^|/)db/schema(\\.ts)?$",
  importNames: WRITE_SIDE_TABLES,
  message: "The read side reads published snapshots only, never the report, rate or moderator tables; see docs/decisions/0013-eslint-privacy-boundary.md.",
};
const oneCurrentSnapshot = {
  regex: "(^|/)lib/read/published(\\.ts)?$",
  importNames: ["latestSnapshot"],
  message: "A page gets the snapshot it shows with currentSnapshot (src/lib/read/api/cache.ts), as the layout and the API do, so they agree.",
};
const browserOnlyShared = {
  // Any relative import except ./sibling (another browser script), …/lib/shared/, …/lib/rules/ and …/scripts/.
  regex: "^(?!\\./[^/]+$)(?!(\\.\\./)+(lib/(shared|rules)|scripts)/)\\.",
  message: "Browser code imports, of the project's modules, only src/lib/shared/, src/lib/rules/ and other browser scripts.",
};

export default tseslint.config(
  { ignores: ["dist/**", ".astro/**", "node_modules/**", "data/**", ".tmp/**", "test-results/**", "db/migrations/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs["flat/recommended"],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused function arguments and caught errors are often part of a signature; names starting with _ are fine.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    name: "ratecard/neither-side",
    files: ["src/lib/server/**", "src/lib/shared/**", "src/lib/rules/**", "src/lib/schemas/**", "src/components/**", "src/layouts/Base.astro"],
    rules: { "no-restricted-imports": ["error", { patterns: [noWriteModules] }] },
  },
  {
    name: "ratecard/read-side",
    files: ["src/lib/read/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noWriteModules, noWriteTables] }] },
  },
  {
    name: "ratecard/public-pages",
    files: ["src/pages/**", "src/layouts/Base.astro"],
    ignores: WRITE_SIDE_PAGES,
    rules: { "no-restricted-imports": ["error", { patterns: [noWriteModules, noWriteTables, oneCurrentSnapshot] }] },
  },
  {
    name: "ratecard/browser",
    files: ["src/scripts/**", "**/*.astro/*.ts", "**/*.astro/*.js"],
    languageOptions: { globals: { ...globals.browser } },
    rules: { "no-restricted-imports": ["error", { patterns: [browserOnlyShared] }] },
  },
);
