declare namespace App {
  interface Locals {
    /** The signed-in moderator, resolved once per request by src/middleware.ts (only under /mod). */
    moderator?: import("./lib/write/auth/sessions.ts").Moderator;
    session?: import("./lib/write/auth/sessions.ts").Session;
  }
}
