// /verify in the browser: blind token requests for the site's one challenge, have them signed
// against a request or partner code, finalize the tokens and keep them in localStorage. Only
// this site is contacted. Without a token to fetch, the form is sent as usual to show the status.
import { addTokens, loadTokens, parseTokens, saveTokens } from "./token-store.ts";

/** More than any grant gives a license in a year; a partner code is fetched in several goes. */
const MAX_TOKENS_PER_VISIT = 50;

type ChallengeAnswer = { challenge: string; token_key: string; tokens_expire: string; token_request_uri: string };
type Directory = { "token-keys": { "token-type": number; "token-key": string }[] };

const fromB64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4)), (c) => c.charCodeAt(0));
const toB64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

type FetchResult = { fetched: number; stopped: "exhausted" | "refused" | "limit"; message?: string };

async function fetchTokens(code: string, progress: (fetched: number) => void): Promise<FetchResult> {
  // The library (about 50 KB gzip) loads only when tokens are fetched, not with the page.
  const { TokenChallenge, publicVerif } = await import("@cloudflare/privacypass-ts");
  const { BlindRSAMode, Client } = publicVerif;
  const answer = (await (await fetch("/api/v1/token-challenge", { cache: "no-store" })).json()) as ChallengeAnswer;
  const directory = (await (await fetch("/.well-known/private-token-issuer-directory", { cache: "no-store" })).json()) as Directory;
  // One key for everyone: a key that differs from the public directory could single this browser out.
  const keys = directory["token-keys"].filter((key) => key["token-type"] === 2);
  if (keys.length !== 1 || keys[0]!["token-key"] !== answer.token_key) {
    throw new Error("The site offered a signing key that its public directory does not list, so no tokens were fetched.");
  }
  const challenge = TokenChallenge.deserialize(fromB64url(answer.challenge));
  if (challenge.redemptionContext.length !== 0 || challenge.tokenType !== 2) throw new Error("The site's challenge is not the fixed one; no tokens were fetched.");
  const tokenKey = fromB64url(answer.token_key);
  let fetched = 0;
  while (fetched < MAX_TOKENS_PER_VISIT) {
    const client = new Client(BlindRSAMode.PSS);
    const request = await client.createTokenRequest(challenge, tokenKey);
    const res = await fetch(answer.token_request_uri, {
      method: "POST",
      headers: { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` },
      body: new Uint8Array(request.serialize()),
    });
    if (res.status !== 200) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      return { fetched, stopped: res.status === 403 ? "exhausted" : "refused", message: body.error ?? `The server answered ${res.status}` };
    }
    const token = await client.finalize(client.deserializeTokenResponse(new Uint8Array(await res.arrayBuffer())));
    addTokens([{ token: toB64url(token.serialize()), expires: answer.tokens_expire }]);
    fetched += 1;
    progress(fetched);
  }
  return { fetched, stopped: "limit" };
}

function showCount(): void {
  const count = document.querySelector<HTMLElement>("#token-count");
  if (!count) return;
  const tokens = loadTokens();
  if (tokens.length === 0) {
    count.textContent = "No tokens in this browser.";
    return;
  }
  const last = tokens.map((t) => t.expires).sort().at(-1)!;
  const until = new Date(Date.parse(last) - 86_400_000).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  count.textContent = `${tokens.length} token${tokens.length === 1 ? "" : "s"} in this browser, usable until ${until}. /share spends one per report.`;
}

export function enhanceVerifyPage(): void {
  document.documentElement.classList.add("has-js");
  showCount();
  const copyCode = document.querySelector<HTMLButtonElement>("#copy-request-code");
  copyCode?.addEventListener("click", async () => {
    await navigator.clipboard.writeText(copyCode.dataset.code ?? "").catch(() => undefined);
    document.querySelector("#copy-request-status")!.textContent = "Copied.";
  });

  const form = document.querySelector<HTMLFormElement>("#fetch-form");
  const status = document.querySelector<HTMLElement>("#fetch-status");
  const button = document.querySelector<HTMLButtonElement>("#fetch-tokens");
  form?.addEventListener("submit", async (event) => {
    const code = (form.elements.namedItem("code") as HTMLInputElement).value.trim();
    if (!/^[A-Za-z0-9_-]{43}$/.test(code) || !status || !button) return;
    event.preventDefault();
    button.disabled = true;
    status.textContent = "Making and fetching tokens…";
    try {
      const result = await fetchTokens(code, (n) => {
        status.textContent = `Fetched ${n} token${n === 1 ? "" : "s"}…`;
        showCount();
      });
      showCount();
      if (result.fetched === 0 && result.stopped === "refused") {
        // No grant behind the code (yet): let the server say where the request stands.
        form.submit();
        return;
      }
      status.textContent = result.fetched > 0
        ? `Fetched ${result.fetched} token${result.fetched === 1 ? "" : "s"}. You can now share verified reports.`
        : result.message ?? "No tokens were fetched.";
    } catch (error) {
      status.textContent = (error as Error).message;
    } finally {
      button.disabled = false;
    }
  });

  const copyTokens = document.querySelector<HTMLButtonElement>("#copy-tokens");
  const importStatus = document.querySelector<HTMLElement>("#import-status");
  copyTokens?.addEventListener("click", async () => {
    const text = JSON.stringify(loadTokens());
    const area = document.querySelector<HTMLTextAreaElement>("#token-import")!;
    area.value = text;
    area.select();
    await navigator.clipboard.writeText(text).catch(() => undefined);
    if (importStatus) importStatus.textContent = "Your tokens are in the box above and on the clipboard. Paste them at /verify in the other browser.";
  });
  document.querySelector("#import-tokens")?.addEventListener("click", () => {
    const area = document.querySelector<HTMLTextAreaElement>("#token-import")!;
    const tokens = parseTokens(area.value.trim());
    if (!importStatus) return;
    if (tokens === null) {
      importStatus.textContent = "That is not a list of tokens copied from this page.";
      return;
    }
    addTokens(tokens);
    area.value = "";
    importStatus.textContent = "Tokens added.";
    showCount();
  });
  document.querySelector("#remove-tokens")?.addEventListener("click", () => {
    saveTokens([]);
    showCount();
  });
}
