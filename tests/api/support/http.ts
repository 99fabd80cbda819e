// Raw HTTP for API tests (exact headers, any method), the one error shape, and the contract
// check of an answer against the served OpenAPI document.
import type { OutgoingHttpHeaders } from "node:http";
import { expect } from "vitest";
import { checkSchema, resolveRef } from "./json-schema.ts";
import { rawRequest, type RawResponse } from "../../helpers/http.ts";

export type { RawResponse };

/** "at " followed by a file path (with an extension or a :line): a stack frame. */
export const STACK_FRAME = /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s)]*(?::\d+|\.(?:[cm]?[jt]s|tsx?)\b)/;

/** A request to a URL path (normalised as a browser would, unlike rawRequest's exact bytes). */
export function raw(base: string, method: string, path: string, options: { headers?: OutgoingHttpHeaders; body?: string } = {}): Promise<RawResponse> {
  const url = new URL(path, base);
  return rawRequest(url.origin, { method, path: `${url.pathname}${url.search}`, headers: options.headers, body: options.body });
}

export function jsonOf<T = Record<string, unknown>>(response: RawResponse): T {
  expect(response.text, "no stack trace in a body").not.toMatch(STACK_FRAME);
  expect(String(response.headers["content-type"]), `JSON expected, got ${response.status}: ${response.text.slice(0, 120)}`).toMatch(/^application\/json/);
  return JSON.parse(response.text) as T;
}

/** Every error everywhere: exactly {ok:false, status, error, errors:[{path, message}]}, status = HTTP status. */
export function expectError(response: RawResponse, status: number): { path: string; message: string }[] {
  expect(response.status, response.text).toBe(status);
  const body = jsonOf(response);
  expect(Object.keys(body).sort()).toEqual(["error", "errors", "ok", "status"]);
  expect(body.ok).toBe(false);
  expect(body.status).toBe(status);
  expect(typeof body.error === "string" && body.error.length > 0).toBe(true);
  const errors = body.errors as { path: string; message: string }[];
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors) {
    expect(Object.keys(error).sort()).toEqual(["message", "path"]);
    expect(typeof error.path).toBe("string");
    expect(typeof error.message).toBe("string");
  }
  expect(response.headers["access-control-allow-origin"]).toBe("*");
  return errors;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON documents, walked by key
type Doc = Record<string, any>;

function operationFor(doc: Doc, method: string, path: string): { template: string; operation: Doc } {
  const pathname = new URL(path, "http://x").pathname;
  for (const [template, item] of Object.entries(doc.paths as Record<string, Doc>)) {
    const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`);
    if (pattern.test(pathname) && item[method.toLowerCase()]) return { template, operation: item[method.toLowerCase()] };
  }
  throw new Error(`No operation documented for ${method} ${pathname}`);
}

/**
 * Checks a real answer against the OpenAPI document: the status is documented for the
 * operation, the content type is one it lists, and a JSON body matches the schema.
 */
export function expectContract(doc: Doc, method: string, path: string, response: RawResponse): void {
  const { template, operation } = operationFor(doc, method, path);
  let documented = operation.responses[String(response.status)];
  expect(documented, `${method} ${template} documents status ${response.status}`).toBeDefined();
  if (documented.$ref) documented = resolveRef(doc, documented.$ref);
  if (response.status === 304 || method === "HEAD") return;
  const content = documented.content as Record<string, { schema: Record<string, unknown> }> | undefined;
  expect(content, `${method} ${template} ${response.status} documents a body`).toBeDefined();
  const type = String(response.headers["content-type"] ?? "").split(";")[0]!.trim();
  expect(Object.keys(content!), `${method} ${template} ${response.status} content type`).toContain(type);
  if (type === "application/json") {
    const errors = checkSchema(JSON.parse(response.text), content![type]!.schema, doc);
    expect(errors.slice(0, 5), `${method} ${path} → ${response.status}`).toEqual([]);
  }
}
