// Which /mod paths need what: the decision the middleware applies to every moderation request.
export type Access = "public" | "password" | "full";

/** Sign-in and set-up are public; enrolling or entering the second factor needs the password step. */
export function accessFor(pathname: string): Access {
  if (pathname === "/mod/login" || pathname === "/mod/setup") return "public";
  if (pathname === "/mod/2fa" || pathname === "/mod/2fa/setup" || pathname === "/mod/logout") return "password";
  return "full";
}

/** An Astro action is addressed by `?_action=name` on a form post or by `/_actions/name`. */
export function actionName(url: URL): string | null {
  if (!url.pathname.startsWith("/_actions/")) return url.searchParams.get("_action");
  const raw = url.pathname.slice("/_actions/".length).replace(/\/$/, "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Names our actions can have (mod.review, share …); anything else cannot name an action. */
export const ACTION_NAME = /^[A-Za-z]\w*(?:\.[A-Za-z]\w*)*$/;

export const isModerationAction = (name: string | null) => name !== null && name.startsWith("mod.");
