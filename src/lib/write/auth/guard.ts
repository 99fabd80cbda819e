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

const ACCESS_ORDER: Access[] = ["public", "password", "full"];

/** What a moderation action needs, by its name alone (issue 13 item 8). */
export function accessForAction(name: string): Access {
  if (name === "mod.login" || name === "mod.setup") return "public";
  if (name === "mod.verifyTotp" || name === "mod.enrollTotp" || name === "mod.logout") return "password";
  return isModerationAction(name) ? "full" : "public";
}

/**
 * What a request needs: the stricter of its page (a form action renders the page it is posted
 * to) and the action it names, so `?_action=mod.login` on /mod/queue opens nothing, and
 * `?_action=mod.review` on /mod/login needs a full sign-in.
 */
export function accessForRequest(pathname: string, action: string | null): Access {
  const page: Access = pathname.startsWith("/mod") ? accessFor(pathname.replace(/\/$/, "")) : "public";
  const byAction: Access = action === null ? "public" : accessForAction(action);
  return ACCESS_ORDER[Math.max(ACCESS_ORDER.indexOf(page), ACCESS_ORDER.indexOf(byAction))]!;
}
