// Progressive enhancement for /share: add/remove rate lines, show the platform fields only when
// they apply, check fields as you type, and show progress while sending. The form works without it.
import { parseMoney } from "../lib/shared/money.ts";

const AMOUNT = /^\$?\d{1,6}(,\d{3})*(\.\d{1,2})?$|^\$?\d+(\.\d{1,2})?$/;

function setError(field: HTMLElement, message: string): void {
  const control = field.querySelector<HTMLInputElement | HTMLSelectElement>("input, select");
  const slot = field.querySelector<HTMLElement>(".field-error");
  if (!control || !slot) return;
  slot.textContent = message;
  if (message) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
}

function checkField(field: HTMLElement): void {
  const control = field.querySelector<HTMLInputElement | HTMLSelectElement>("input, select");
  if (!control) return;
  const value = control.value.trim();
  const line = field.closest<HTMLElement>(".rate-line");
  const lineUsed = !line || line.dataset.line === "0" || [...line.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[name$='.cpt'], [name$='.paid'], [name$='.payer'], [name$='.allowed']")].some((c) => c.value.trim() !== "");
  if (control.required && lineUsed && value === "") {
    setError(field, "This is needed.");
    return;
  }
  if (line && lineUsed && control.name.endsWith(".paid") && value === "") {
    setError(field, "Enter what you receive per session.");
    return;
  }
  if (line && lineUsed && control.name.endsWith(".cpt") && value === "") {
    setError(field, "Choose a CPT code.");
    return;
  }
  if (control instanceof HTMLInputElement && control.inputMode === "decimal" && value !== "" && !AMOUNT.test(value)) {
    setError(field, "Enter dollars like 95 or 151.74.");
    return;
  }
  if (control.name.endsWith(".paid") && (parseMoney(value) ?? 1) <= 0) {
    setError(field, "Must be more than $0.");
    return;
  }
  setError(field, "");
}

export function enhanceShareForm(): void {
  document.documentElement.classList.add("has-js");
  const copy = document.getElementById("copy-receipt");
  copy?.addEventListener("click", async () => {
    const status = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(copy.dataset.code ?? "");
      if (status) status.textContent = "Copied.";
    } catch {
      if (status) status.textContent = "Copy did not work here; select the code and copy it by hand.";
    }
  });
  document.getElementById("error-summary")?.focus();
  document.getElementById("thanks")?.focus();

  const form = document.getElementById("share-form") as HTMLFormElement | null;
  if (!form) return;
  const lines = [...form.querySelectorAll<HTMLFieldSetElement>(".rate-line")];
  const addButton = document.getElementById("add-line") as HTMLButtonElement | null;
  const lineStatus = document.getElementById("line-status");

  const refreshLines = () => {
    const hidden = lines.filter((line) => line.hidden);
    if (addButton) addButton.hidden = hidden.length === 0;
  };
  for (const line of lines) if (line.dataset.used !== "true") line.hidden = true;
  refreshLines();

  addButton?.addEventListener("click", () => {
    const next = lines.find((line) => line.hidden);
    if (!next) return;
    next.hidden = false;
    refreshLines();
    if (lineStatus) lineStatus.textContent = `Rate ${Number(next.dataset.line) + 1} added.`;
    next.querySelector<HTMLSelectElement>("select")?.focus();
  });
  for (const button of form.querySelectorAll<HTMLButtonElement>(".remove-line")) {
    button.addEventListener("click", () => {
      const line = button.closest<HTMLFieldSetElement>(".rate-line");
      if (!line) return;
      for (const control of line.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) {
        if (control.name.endsWith(".cpt") || control.name.endsWith(".payer") || control.name.endsWith(".paid") || control.name.endsWith(".allowed")) control.value = "";
      }
      for (const field of line.querySelectorAll<HTMLElement>(".field")) setError(field, "");
      line.hidden = true;
      refreshLines();
      if (lineStatus) lineStatus.textContent = `Rate ${Number(line.dataset.line) + 1} removed.`;
      addButton?.focus();
    });
  }

  const channelInputs = [...form.querySelectorAll<HTMLInputElement>("input[name='channel']")];
  const applyChannel = () => {
    const channel = channelInputs.find((input) => input.checked)?.value ?? "";
    for (const el of form.querySelectorAll<HTMLElement>(".platform-only")) el.hidden = channel !== "platform";
    for (const el of form.querySelectorAll<HTMLElement>(".payer-field")) el.hidden = channel === "self_pay";
  };
  for (const input of channelInputs) input.addEventListener("change", applyChannel);
  applyChannel();

  for (const field of form.querySelectorAll<HTMLElement>(".field")) {
    const control = field.querySelector("input, select");
    control?.addEventListener("change", () => checkField(field));
    control?.addEventListener("blur", () => checkField(field));
    if (control instanceof HTMLInputElement) control.addEventListener("input", () => {
      if (control.getAttribute("aria-invalid")) checkField(field);
    });
  }

  form.addEventListener("submit", (event) => {
    const fields = [...form.querySelectorAll<HTMLElement>(".field")].filter((f) => !f.closest("[hidden]"));
    fields.forEach(checkField);
    const firstInvalid = form.querySelector<HTMLElement>("[aria-invalid='true']:not([hidden] *)");
    if (firstInvalid) {
      event.preventDefault();
      firstInvalid.focus();
      return;
    }
    const submit = document.getElementById("submit-report") as HTMLButtonElement | null;
    const status = document.getElementById("submit-status");
    if (submit) submit.disabled = true;
    if (status) status.textContent = "Sending…";
  });
}
