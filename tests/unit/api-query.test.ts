// The read API's parameters: unknown ones are refused, filters map onto published rows exactly
// as DESIGN.md "Filters" says.
import { describe, expect, it } from "vitest";
import { aggregatesCsvQuerySchema, aggregatesQuerySchema, historyQuerySchema, noQuerySchema } from "../../src/lib/schemas/api.ts";
import { canonicalFilter, cellFilterOf, fallbackRequestOf, parseQuery } from "../../src/lib/read/api/query.ts";

async function errorOf(response: Response) {
  return (await response.json()) as { ok: false; status: number; error: string; errors: { path: string; message: string }[] };
}

function parse(query: string) {
  return parseQuery(new URLSearchParams(query), aggregatesQuerySchema);
}

function value(query: string) {
  const parsed = parse(query);
  if (!parsed.ok) throw new Error(`expected ${query} to parse`);
  return parsed.value;
}

describe("parameters", () => {
  it("refuses an unknown parameter, naming every allowed one", async () => {
    const parsed = parse("cpt=90837&colour=red");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.response.status).toBe(400);
    const body = await errorOf(parsed.response);
    expect(body.error).toBe("Unknown parameter: colour");
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.path).toBe("colour");
    for (const name of ["cpt", "state", "division", "geo_level", "channel", "platform", "payer", "license", "license_group", "modality", "year", "_size", "_next", "_shape", "_fallback"]) {
      expect(body.errors[0]!.message).toContain(name);
    }
  });

  it("says a parameterless route takes none", async () => {
    const parsed = parseQuery(new URLSearchParams("x=1"), noQuerySchema);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect((await errorOf(parsed.response)).errors[0]!.message).toMatch(/takes no parameters/);
  });

  it("refuses a repeated parameter and a bad value, naming the parameter", async () => {
    for (const [query, path] of [["cpt=90837&cpt=90834", "cpt"], ["state=Oregon", "state"], ["year=2024-2026", "year"], ["_size=0", "_size"], ["_size=1001", "_size"], ["_size=ten", "_size"], ["_shape=rows", "_shape"], ["_fallback=yes", "_fallback"], ["platform=Alma", "platform"], ["modality=video", "modality"]] as const) {
      const parsed = parse(query);
      expect(parsed.ok, query).toBe(false);
      if (!parsed.ok) expect((await errorOf(parsed.response)).errors.map((e) => e.path), query).toContain(path);
    }
  });

  it("treats an empty value as absent (a form's 'any')", () => {
    expect(value("cpt=&state=OR")).toEqual({ state: "OR" });
  });

  it("refuses contradictory geography and license filters", () => {
    for (const query of ["state=OR&division=pacific", "state=OR&geo_level=national", "division=pacific&geo_level=state", "license=lpc&license_group=masters"]) {
      expect(parse(query).ok, query).toBe(false);
    }
    expect(parse("state=OR&geo_level=state").ok).toBe(true);
  });

  it("takes _size=max as the largest page", () => {
    expect(value("_size=max")._size).toBe(1000);
    expect(value("_size=250")._size).toBe(250);
  });

  it("has no _shape on the CSV twin", () => {
    expect(parseQuery(new URLSearchParams("_shape=arrays"), aggregatesCsvQuerySchema).ok).toBe(false);
  });
});

describe("filters map onto published rows (DESIGN.md \"Filters\")", () => {
  it("maps each documented parameter", () => {
    expect(cellFilterOf(value("state=OR"))).toEqual({ geoLevel: "state", geo: "OR" });
    expect(cellFilterOf(value("division=pacific"))).toEqual({ geoLevel: "division", geo: "pacific" });
    expect(cellFilterOf(value("geo_level=national"))).toEqual({ geoLevel: "national" });
    expect(cellFilterOf(value("license=lpc"))).toEqual({ licenseLevel: "license", license: "lpc" });
    expect(cellFilterOf(value("license=all"))).toEqual({ licenseLevel: "all", license: null });
    expect(cellFilterOf(value("license_group=masters"))).toEqual({ licenseLevel: "group", license: "masters" });
    expect(cellFilterOf(value("year=2025"))).toEqual({ yearWindow: "2025" });
    expect(cellFilterOf(value("year=2024-2025"))).toEqual({ yearWindow: "2024-2025" });
    expect(cellFilterOf(value("cpt=90837&modality=telehealth"))).toEqual({ cpt: "90837", modality: "telehealth" });
  });

  it("matches the aggregated rows with `all`, every value when omitted", () => {
    expect(cellFilterOf(value("platform=all&payer=all&channel=all&modality=all"))).toEqual({ platform: null, payer: null, channel: null, modality: "all" });
    expect(cellFilterOf(value("platform=alma&payer=cigna&channel=platform"))).toEqual({ platform: "alma", payer: "cigna", channel: "platform" });
    expect(cellFilterOf(value(""))).toEqual({});
  });

  it("binds cursors to the filters in one canonical order, whatever order they came in", () => {
    expect(canonicalFilter(value("state=OR&cpt=90837&_size=5"))).toBe("cpt=90837&state=OR");
    expect(canonicalFilter(value("cpt=90837&state=OR"))).toBe("cpt=90837&state=OR");
  });
});

describe("_fallback=1", () => {
  const whole = "cpt=90837&state=OR&channel=platform&platform=alma&payer=all&license=lpc&modality=telehealth&year=2025";

  it("needs every dimension, naming each missing one", async () => {
    const parsed = parse("_fallback=1&cpt=90837");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = (await errorOf(parsed.response)).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["channel", "license", "modality", "payer", "platform", "state", "year"]);
  });

  it("builds the ladder request from the parameters", () => {
    expect(fallbackRequestOf(value(`${whole}&_fallback=1`))).toEqual({
      cpt: "90837", geo: { geoLevel: "state", geo: "OR" }, channel: "platform", platform: "alma", payer: null,
      license: { licenseLevel: "license", license: "lpc" }, modality: "telehealth", yearWindow: "2025",
    });
    const national = value("_fallback=1&cpt=90837&geo_level=national&channel=all&platform=all&payer=all&license_group=masters&modality=all&year=2025");
    expect(fallbackRequestOf(national)).toMatchObject({ geo: { geoLevel: "national", geo: "US" }, license: { licenseLevel: "group", license: "masters" }, channel: null });
  });

  it("has no pages", () => {
    expect(parse(`${whole}&_fallback=1&_next=abc`).ok).toBe(false);
  });

  it("history.json needs the same whole cell", () => {
    expect(parseQuery(new URLSearchParams(whole), historyQuerySchema).ok).toBe(true);
    expect(parseQuery(new URLSearchParams("cpt=90837"), historyQuerySchema).ok).toBe(false);
  });
});
