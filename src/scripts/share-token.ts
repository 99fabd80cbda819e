// /share with a verification token in this browser: say so before sending, put one token in the
// hidden field, and forget it once the page after sending shows it was spent (or refused).
// Without JavaScript, or without a token, the form sends an unverified report as before.
import { loadTokens, markSent, removeToken, takeSent } from "./token-store.ts";

export function offerShareToken(): void {
  const sent = takeSent();
  if (sent && (document.querySelector("[data-report-saved]") || document.querySelector("[data-token-refused]"))) removeToken(sent);

  const form = document.querySelector<HTMLFormElement>("#share-form");
  const field = document.querySelector<HTMLInputElement>("#privacy-pass-token");
  const notice = document.querySelector<HTMLElement>("#token-notice");
  if (!form || !field || !notice) return;
  const tokens = loadTokens();
  if (tokens.length === 0) return;

  notice.hidden = false;
  notice.innerHTML = "";
  const text = document.createElement("span");
  text.textContent = `This report will spend one of your ${tokens.length} verification token${tokens.length === 1 ? "" : "s"}, so it counts as verified. The token cannot be traced to your verification. `;
  const choice = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = "skip-token";
  choice.append(box, " Send without a token (unverified)");
  notice.append(text, choice);

  form.addEventListener("submit", () => {
    const token = loadTokens()[0];
    if (box.checked || !token) {
      field.value = "";
      return;
    }
    field.value = token.token;
    markSent(token.token);
  });
}
