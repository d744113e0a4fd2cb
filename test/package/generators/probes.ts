// What the generated code is checked against, all read from the bundled spec: every example it must accept, and a
// probe for every rule the spec states (each a value the spec refuses) to learn which rules a generator keeps.
// Nothing here names a field or a value of our API: a new rule in the spec becomes a new probe by itself.

/** Where a value goes: an operation's body, response or parameter, or a component schema. */
export type Target =
  | { kind: "body"; operationId: string; component?: string }
  | { kind: "response"; operationId: string; status: string; component?: string }
  | { kind: "parameter"; operationId: string; location: string; name: string; component?: string }
  | { kind: "component"; component: string };

/** A value the spec accepts (an example), at its target. */
export interface Example {
  label: string;
  target: Target;
  value: unknown;
}

/** The kinds of rules a generator may keep or drop; the README's table has a column for each. */
export const rules = {
  discriminator: '`type` outside the variants (a TASK with `type: "BOGUS"`)',
  closed: "closed variants (`address` on a TASK, an unknown field)",
  required: "required fields",
  oneOf: "one of several fields required (a start as `startAt` or `startAtMs`)",
  enum: "enums",
  dateTime: "date-time with an offset",
  integer: "integers (no fraction)",
  pattern: "`pattern` (calendarId)",
  bounds: "`minimum`/`maximum` (query parameters)",
  minProperties: "`minProperties` (a non-empty update)",
} as const;
export type Rule = keyof typeof rules;

/** A value the spec refuses, with the rule that refuses it. */
export interface Probe extends Example {
  rule: Rule;
}

type Json = Record<string, any>;
const methods = ["get", "put", "post", "delete", "patch"];
const unknownField = "loftyUnknownField";

/** A copy of an object without some of its fields. */
function without(value: Json, fields: string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([field]) => !fields.includes(field)));
}

/** The name of the component a `$ref` points to, if it does. */
function componentOf(node: Json | undefined): string | undefined {
  const ref = node?.$ref;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice(21) : undefined;
}

/** Reads the bundled spec: follows internal refs, lists operations, their examples and the probes of their rules. */
export class SpecProbes {
  constructor(readonly spec: Json) {}

  deref(node: any): any {
    if (node && typeof node.$ref === "string") {
      const target = node.$ref
        .slice(2)
        .split("/")
        .reduce((at: any, key: string) => at?.[key], this.spec);
      if (target === undefined) throw new Error(`unresolved ref ${node.$ref}`);
      return this.deref(target);
    }
    return node;
  }

  operations(): { method: string; path: string; operation: Json }[] {
    return Object.entries(this.spec.paths as Json).flatMap(([path, item]) =>
      methods.filter((method) => item[method]).map((method) => ({ method, path, operation: item[method] as Json })),
    );
  }

  /** A media type's examples (`examples` with their refs followed, and a lone `example`), by name. */
  mediaExamples(media: Json | undefined): [string, unknown][] {
    if (!media) return [];
    const named = Object.entries(media.examples ?? {}).map(
      ([name, ex]) => [name, this.deref(ex).value] as [string, unknown],
    );
    return media.example === undefined ? named : [...named, ["example", media.example]];
  }

  /** Every example of a request or response body, parameter and component schema. */
  examples(): Example[] {
    const found: Example[] = [];
    for (const { method, path, operation } of this.operations()) {
      const { operationId } = operation;
      const where = `${method.toUpperCase()} ${path}`;
      const body = this.deref(operation.requestBody)?.content?.["application/json"];
      for (const [name, value] of this.mediaExamples(body)) {
        const target: Target = { kind: "body", operationId, component: componentOf(body.schema) };
        found.push({ label: `${where} request example ${name}`, target, value });
      }
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const media = this.deref(response).content?.["application/json"];
        for (const [name, value] of this.mediaExamples(media)) {
          const target: Target = { kind: "response", operationId, status, component: componentOf(media.schema) };
          found.push({ label: `${where} ${status} example ${name}`, target, value });
        }
      }
      for (const parameter of (operation.parameters ?? []).map((p: Json) => this.deref(p))) {
        const schema = this.deref(parameter.schema);
        const value = parameter.example ?? schema?.example;
        if (value === undefined) continue;
        const target: Target = {
          kind: "parameter",
          operationId,
          location: parameter.in,
          name: parameter.name,
          component: componentOf(parameter.schema),
        };
        found.push({ label: `${where} ${parameter.in} parameter ${parameter.name} example`, target, value });
      }
    }
    for (const [component, schema] of Object.entries<Json>(this.spec.components?.schemas ?? {})) {
      if (schema.example !== undefined) {
        found.push({
          label: `schema ${component} example`,
          target: { kind: "component", component },
          value: schema.example,
        });
      }
    }
    return found;
  }

  /** The values a one-value `enum` or a `const` allows (a discriminator's), else none. */
  private values(schema: Json | undefined): unknown[] {
    const resolved = this.deref(schema) ?? {};
    if (Array.isArray(resolved.enum)) return resolved.enum;
    return "const" in resolved ? [resolved.const] : [];
  }

  /** The example values of a property, for putting a field of one variant onto another. */
  private propertyExample(schema: Json): unknown {
    const resolved = this.deref(schema);
    return resolved.example ?? resolved.enum?.[0] ?? resolved.default ?? "x";
  }

  /** Values refused by one field's own rules (enum, date-time offset, integer, pattern, bounds). */
  private fieldProbes(schema: Json, example: unknown): [Rule, string, unknown][] {
    const resolved = this.deref(schema);
    const probes: [Rule, string, unknown][] = [];
    if (Array.isArray(resolved.enum) && resolved.enum.length > 1) probes.push(["enum", `"BOGUS"`, "BOGUS"]);
    if (resolved.format === "date-time" && typeof example === "string") {
      const local = example.replace(/(Z|[+-]\d\d:\d\d)$/, "");
      if (local !== example) probes.push(["dateTime", `${local} (no offset)`, local]);
    }
    if (resolved.type === "integer") probes.push(["integer", "0.5", 0.5]);
    if (typeof resolved.pattern === "string") {
      const bad = `not ${String(example)}`;
      if (!new RegExp(resolved.pattern, "u").test(bad)) probes.push(["pattern", JSON.stringify(bad), bad]);
    }
    const { maximum, minimum } = resolved as { maximum?: unknown; minimum?: unknown };
    if (typeof maximum === "number") probes.push(["bounds", String(maximum + 1), maximum + 1]);
    if (typeof minimum === "number") probes.push(["bounds", String(minimum - 1), minimum - 1]);
    return probes;
  }

  /** The object variants of a body schema: its oneOf members, or the schema itself. */
  private variants(schema: Json): Json[] {
    const resolved = this.deref(schema);
    return resolved.oneOf ? resolved.oneOf.map((member: Json) => this.deref(member)) : [resolved];
  }

  /**
   * The groups of "at least one of these fields" a variant states: each an `anyOf` of `required` lists, at the top,
   * in `allOf` or in `if`/`then`.
   */
  private oneOfGroups(variant: Json): string[][] {
    const parts = [variant, ...(variant.allOf ?? []), variant.if, variant.then].map((part) => this.deref(part));
    const anyOfs = parts.map((part) => part?.anyOf);
    return anyOfs
      .filter(Array.isArray)
      .map((anyOf: Json[]) => anyOf.flatMap((member) => this.deref(member).required ?? []))
      .filter((group) => group.length > 0);
  }

  /** Probes of every rule of every request body that has an example; each probe changes one example by one rule. */
  private bodyProbes(operationId: string, where: string, media: Json): Probe[] {
    const probes: Probe[] = [];
    const variants = this.variants(media.schema);
    const key = this.deref(media.schema).discriminator?.propertyName as string | undefined;
    const target: Target = { kind: "body", operationId, component: componentOf(media.schema) };
    const allFields = new Map(variants.flatMap((variant) => Object.entries<Json>(variant.properties ?? {})));
    for (const [name, example] of this.mediaExamples(media)) {
      if (typeof example !== "object" || example === null) continue;
      const value = example as Json;
      const variant = variants.find((v) => !key || this.values(v.properties?.[key]).includes(value[key])) ?? {};
      const label = (what: string) => `${where} example ${name} ${what}`;
      const push = (rule: Rule, what: string, changed: Json) =>
        probes.push({ rule, label: label(what), target, value: changed });
      if (key) push("discriminator", `with ${key} "BOGUS"`, { ...value, [key]: "BOGUS" });
      if (variant.additionalProperties === false) {
        push("closed", `with an unknown field ${unknownField}`, { ...value, [unknownField]: "x" });
        for (const [field, schema] of allFields) {
          if (!(field in (variant.properties ?? {}))) {
            push("closed", `with ${field} (another variant's field)`, {
              ...value,
              [field]: this.propertyExample(schema),
            });
          }
        }
      }
      for (const field of (variant.required ?? []).filter((f: string) => f !== key)) {
        push("required", `without ${field}`, without(value, [field]));
      }
      for (const group of this.oneOfGroups(variant)) {
        push("oneOf", `without any of ${group.join(", ")}`, without(value, group));
      }
      for (const [field, schema] of Object.entries<Json>(variant.properties ?? {})) {
        if (field === key || !(field in value)) continue;
        for (const [rule, what, bad] of this.fieldProbes(schema, value[field]))
          push(rule, `with ${field} ${what}`, { ...value, [field]: bad });
      }
      if (typeof variant.minProperties === "number") push("minProperties", "emptied ({})", {});
    }
    return probes;
  }

  /** Probes of every rule of every body and parameter of the spec. */
  probes(): Probe[] {
    const probes: Probe[] = [];
    for (const { method, path, operation } of this.operations()) {
      const { operationId } = operation;
      const where = `${method.toUpperCase()} ${path}`;
      const body = this.deref(operation.requestBody)?.content?.["application/json"];
      if (body) probes.push(...this.bodyProbes(operationId, `${where} request`, body));
      for (const parameter of (operation.parameters ?? []).map((p: Json) => this.deref(p))) {
        const schema = this.deref(parameter.schema);
        const example = parameter.example ?? schema?.example;
        const target: Target = {
          kind: "parameter",
          operationId,
          location: parameter.in,
          name: parameter.name,
          component: componentOf(parameter.schema),
        };
        for (const [rule, what, value] of this.fieldProbes(schema, example)) {
          probes.push({ rule, label: `${where} ${parameter.in} parameter ${parameter.name} ${what}`, target, value });
        }
      }
    }
    return probes;
  }
}
