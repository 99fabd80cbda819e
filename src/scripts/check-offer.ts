// /check-offer with JavaScript: the offer's answer updates as you type (the form is posted in the
// background and the server's answer swapped in, so there is one implementation), and the hourly
// comparison is computed in the browser with the same code the server uses. Without it, both forms post.
import { parseHourlyOffer, trueHourlyPay, type HourlyParse } from "../lib/shared/hourly-pay.ts";
import { HOURLY_ROWS, formatHourlyValue, hourlyVerdict } from "../lib/shared/hourly-table.ts";

function valuesOf(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === "string") values[key] = value.trim();
  return values;
}

function showError(form: HTMLFormElement, name: string, message: string): void {
  const control = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
  const slot = document.getElementById(`f-${name.replaceAll(".", "-")}-error`);
  if (slot) slot.textContent = message;
  if (control && control.type !== "radio") {
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

function enhanceHourly(form: HTMLFormElement): void {
  const cells = new Map<string, HTMLElement>();
  for (const cell of document.querySelectorAll<HTMLElement>("[data-hourly]")) cells.set(cell.dataset.hourly!, cell);
  const verdict = document.getElementById("hourly-verdict");
  const touched = new Set<string>();

  const update = (showAllErrors: boolean) => {
    const values = valuesOf(form);
    const parsed: Record<"a" | "b", HourlyParse> = { a: parseHourlyOffer(values, "a"), b: parseHourlyOffer(values, "b") };
    const results = { a: parsed.a.ok ? trueHourlyPay(parsed.a.inputs) : null, b: parsed.b.ok ? trueHourlyPay(parsed.b.inputs) : null };
    for (const prefix of ["a", "b"] as const) {
      for (const row of HOURLY_ROWS) {
        const cell = cells.get(`${prefix}.${row.key}`);
        if (cell) cell.textContent = formatHourlyValue(row.key, results[prefix]);
      }
      const errors: Record<string, string | undefined> = parsed[prefix].ok ? {} : parsed[prefix].errors;
      for (const control of form.querySelectorAll<HTMLInputElement>(`input[name^="${prefix}."]:not([type=radio])`)) {
        const message = errors[control.name.slice(prefix.length + 1)] ?? "";
        // A field says what is wrong once it was left or the form was sent, and clears as soon as it is right.
        if (showAllErrors || touched.has(control.name) || !message) showError(form, control.name, message);
      }
    }
    const strong = document.createElement("strong");
    strong.textContent = hourlyVerdict(results.a, results.b);
    verdict?.replaceChildren(strong);
    return parsed.a.ok && parsed.b.ok;
  };

  form.addEventListener("input", () => update(false));
  form.addEventListener("focusout", (event) => {
    const target = event.target as HTMLInputElement;
    if (target.name) touched.add(target.name);
    update(false);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!update(true)) form.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
    else document.getElementById("hourly-result")?.focus();
  });
}

function enhanceOffer(form: HTMLFormElement): void {
  const result = document.getElementById("offer-result");
  const status = document.getElementById("offer-status");
  if (!result) return;
  let pending: AbortController | undefined;
  let timer: number | undefined;

  const send = async (moveFocus: boolean) => {
    pending?.abort();
    pending = new AbortController();
    if (status) status.textContent = "Checking…";
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form), signal: pending.signal, cache: "no-store" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const slot of form.querySelectorAll<HTMLElement>(".field-error")) {
        const name = slot.closest<HTMLElement>("[data-field]")?.dataset.field;
        if (name) showError(form, name, page.getElementById(slot.id)?.textContent ?? "");
      }
      result.replaceChildren(...(page.getElementById("offer-result")?.childNodes ?? []));
      // chart.js is loaded only once there is a chart to draw.
      if (result.querySelector("canvas[data-chart]")) (await import("./range-chart.ts")).drawRangeCharts(result);
      const heading = result.querySelector("h3");
      if (status) status.textContent = response.ok ? (heading?.textContent ?? "Checked.") : "Please correct the fields marked.";
      if (moveFocus) (response.ok ? result : form.querySelector<HTMLElement>("[aria-invalid='true']"))?.focus();
    } catch (error) {
      if ((error as Error).name !== "AbortError" && status) status.textContent = "Could not check the offer; try the button again.";
    }
  };

  const ready = () => {
    const values = valuesOf(form);
    return Boolean(values.source && values.amount && values.cpt);
  };
  const later = () => {
    window.clearTimeout(timer);
    if (ready()) timer = window.setTimeout(() => void send(false), 400);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    void send(true);
  });
}

export function enhanceCheckOffer(): void {
  const offer = document.getElementById("offer-form");
  if (offer instanceof HTMLFormElement) enhanceOffer(offer);
  const hourly = document.getElementById("hourly-form");
  if (hourly instanceof HTMLFormElement) enhanceHourly(hourly);
}
