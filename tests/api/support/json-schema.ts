// A small JSON Schema (2020-12) checker for the keywords our generated OpenAPI document uses.
// An unknown keyword is an error, so the checker can never silently accept what it cannot check.
export type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(["description", "examples", "example", "title", "default", "deprecated", "readOnly", "writeOnly", "$comment", "$schema", "$id"]);
const KEYWORDS = new Set([
  "type", "properties", "required", "additionalProperties", "items", "prefixItems", "enum", "const", "anyOf", "oneOf", "allOf", "not",
  "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
  "format", "$ref", "propertyNames", "uniqueItems", "multipleOf",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

export function checkSchema(value: unknown, schema: Schema, root: Record<string, unknown>, path = "$"): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const errors: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) errors.push(`${path}: the checker does not know the keyword "${key}"`);
  }
  if (typeof schema.$ref === "string") {
    const target = resolveRef(root, schema.$ref);
    if (target === undefined) return [`${path}: unresolvable $ref ${schema.$ref}`];
    errors.push(...checkSchema(value, target as Schema, root, path));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t))) return [...errors, `${path}: expected ${types.join(" or ")}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => e === value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: "${value}" does not match ${schema.pattern}`);
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) errors.push(`${path}: "${value}" is not a date-time`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: ${value} < minimum ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: ${value} > maximum ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) errors.push(`${path}: ${value} <= ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) errors.push(`${path}: ${value} >= ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((item, i) => {
      if (i < prefix.length) errors.push(...checkSchema(item, prefix[i]!, root, `${path}[${i}]`));
      else if (schema.items !== undefined) errors.push(...checkSchema(item, schema.items as Schema, root, `${path}[${i}]`));
    });
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(object, name)) errors.push(`${path}: missing required "${name}"`);
    }
    for (const [name, item] of Object.entries(object)) {
      if (Object.hasOwn(properties, name)) errors.push(...checkSchema(item, properties[name]!, root, `${path}.${name}`));
      else if (schema.additionalProperties !== undefined) errors.push(...checkSchema(item, schema.additionalProperties as Schema, root, `${path}.${name}`));
    }
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) errors.push(...checkSchema(value, part, root, path));
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((part) => checkSchema(value, part, root, path).length === 0)) {
    errors.push(`${path}: matches none of anyOf (${(schema.anyOf as Schema[]).map((part) => checkSchema(value, part, root, path)[0]).join(" | ")})`);
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((part) => checkSchema(value, part, root, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of oneOf, expected exactly 1`);
  }
  if (schema.not !== undefined && checkSchema(value, schema.not as Schema, root, path).length === 0) errors.push(`${path}: matches "not"`);
  return errors;
}

export function resolveRef(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Every $ref anywhere in a document. */
export function allRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) allRefs(item, found);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else allRefs(value, found);
    }
  }
  return found;
}

/** Checks that a schema uses only keywords the checker knows, recursively (a structural check of the document). */
export function unknownKeywords(schema: Schema, path = "$"): string[] {
  if (typeof schema === "boolean") return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) problems.push(`${path}.${key}`);
    if (key === "properties") for (const [name, sub] of Object.entries(value as Record<string, Schema>)) problems.push(...unknownKeywords(sub, `${path}.properties.${name}`));
    if (["items", "additionalProperties", "not", "propertyNames"].includes(key) && typeof value === "object") problems.push(...unknownKeywords(value as Schema, `${path}.${key}`));
    if (["prefixItems", "anyOf", "oneOf", "allOf"].includes(key)) (value as Schema[]).forEach((sub, i) => problems.push(...unknownKeywords(sub, `${path}.${key}[${i}]`)));
  }
  return problems;
}
