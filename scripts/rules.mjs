// The rules the SDK checks before sending (src/validate.ts) and after receiving (the 200 shapes), derived from the
// bundled spec, so that `src/` never copies a constraint by hand. Compact, since they ship in browser bundles.
// A keyword or shape that src/validate.ts does not check makes generation fail, so no constraint is skipped silently:
// teach src/validate.ts first, then this file.

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch"]);
// What a field's schema may say: each of these is checked by src/validate.ts (description and example are prose).
const FIELD_KEYWORDS = new Set(["type", "format", "enum", "example", "description", "minimum", "maximum", "pattern"]);
const FIELD_KEYWORDS_WITH_DEFAULT = new Set([...FIELD_KEYWORDS, "default", "items"]);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Every operation's rules, by operationId:
 * - `method`, `path`: where it goes;
 * - `pathParams`, `query`: its parameters, each as an object rule (below); the query's `oneOf` are the groups of which
 *   one must be given (the spec's `x-required-one-of`: OpenAPI has no way to say it of parameters);
 * - `body`: the JSON request body: an object rule, or `{ key, variants }` with an object rule per discriminator value;
 * - `times`: the time fields, per end, as [ISO field, epoch-ms field] (src/time.ts writes both for one instant);
 * - `response`: the 200 body's shape (each required field's JSON type or enum, nested);
 * - `ids`: the 200 body's int64 identifiers (named `…Id`), decoded as strings so that no digit is lost (maybe none).
 * An object rule is `{ fields, required, examples, oneOf?, minProperties? }`: each field's rule in the spec's order,
 * the required ones, the examples its messages show (of required and patterned fields), groups of which one is
 * required (see requiredGroup).
 */
export function operationRules(spec) {
  const deref = resolver(spec);
  const operations = {};
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (HTTP_METHODS.has(method)) operations[operation.operationId] = rulesOf(deref, method, path, operation);
    }
  }
  return operations;
}

function rulesOf(deref, method, path, operation) {
  const rules = { method, path };
  const parameters = (operation.parameters ?? []).map(deref);
  const inPath = parameters.filter((parameter) => parameter.in === "path");
  const inQuery = parameters.filter((parameter) => parameter.in === "query");
  if (parameters.length > inPath.length + inQuery.length)
    refuse(`${operation.operationId} has a header or cookie parameter`);
  if (inPath.length > 0) rules.pathParams = paramsRule(deref, inPath);
  if (inQuery.length > 0) rules.query = paramsRule(deref, inQuery, operation["x-required-one-of"]);
  const body = deref(deref(operation.requestBody)?.content?.["application/json"]?.schema);
  if (body) rules.body = bodyRule(deref, body);
  const fieldsWithTimes = rules.query ?? Object.values(rules.body?.variants ?? {})[0] ?? rules.body;
  const times = timePairs(fieldsWithTimes?.fields ?? {});
  if (Object.keys(times).length > 0) rules.times = times;
  for (const rule of [rules.query, rules.body, ...Object.values(rules.body?.variants ?? {})]) {
    if (rule?.oneOf) rule.oneOf = rule.oneOf.map((fields) => requiredGroup(fields, times));
  }
  const ok = deref(deref(operation.responses?.["200"])?.content?.["application/json"]?.schema);
  if (!ok) refuse(`${operation.operationId} has no JSON 200 answer`);
  rules.response = shape(deref, ok);
  rules.ids = idFields(deref, ok);
  return rules;
}

/** Parameters as an object rule; `oneOf` the groups of which one must be given. */
function paramsRule(deref, parameters, oneOf) {
  const fields = Object.fromEntries(parameters.map((parameter) => [parameter.name, paramRule(deref, parameter)]));
  const required = parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name);
  const shown = parameters.filter((parameter) => parameter.required || deref(parameter.schema).pattern);
  const rule = {
    fields,
    required,
    examples: examplesOf(shown.map((parameter) => [parameter.name, deref(parameter.schema)])),
  };
  if (oneOf) rule.oneOf = oneOf;
  return rule;
}

/**
 * A request body: a oneOf told apart by a discriminator (each variant a closed object with its required fields and its
 * required-one-of groups), or one closed object.
 */
function bodyRule(deref, schema) {
  if (schema.oneOf) return variantsRule(deref, schema);
  if (schema.type !== "object" || schema.additionalProperties !== false)
    refuse("a request body is not a closed object");
  const rule = objectRule(deref, schema);
  if (schema.minProperties !== undefined) rule.minProperties = schema.minProperties;
  return rule;
}

function variantsRule(deref, schema) {
  const key = schema.discriminator?.propertyName;
  if (!key || !schema.discriminator.mapping) refuse("a request body is a oneOf without a discriminator mapping");
  const variants = {};
  for (const [value, $ref] of Object.entries(schema.discriminator.mapping)) {
    const variant = deref({ $ref });
    if (variant.additionalProperties !== false) refuse(`request variant ${value} is open`);
    variants[value] = objectRule(deref, variant, key);
  }
  return { key, variants };
}

/** A closed object's rule, without the field `skip` (a union's discriminator). */
function objectRule(deref, schema, skip) {
  const names = Object.keys(schema.properties).filter((name) => name !== skip);
  const properties = names.map((name) => [name, deref(schema.properties[name])]);
  const required = (schema.required ?? []).filter((name) => name !== skip);
  const rule = {
    fields: Object.fromEntries(properties.map(([name, field]) => [name, fieldRule(name, field)])),
    required,
    examples: examplesOf(properties.filter(([name]) => required.includes(name))),
  };
  const oneOf = requiredOneOf(schema);
  if (oneOf.length > 0) rule.oneOf = oneOf;
  return rule;
}

/** `allOf: [{ anyOf: [{ required: [a] }, { required: [b] }] }, …]` as [[a, b], …]: one of each group is required. */
function requiredOneOf(schema) {
  const groups = (schema.allOf ?? []).map((part) => part.anyOf);
  if (schema.anyOf) groups.push(schema.anyOf);
  return groups.map((anyOf) => {
    // An option may repeat its fields' schemas (for generators that read them there): the object's own rule them.
    const requiredOnly = (option) =>
      Object.keys(option).every((keyword) => keyword === "required" || keyword === "properties");
    if (!Array.isArray(anyOf) || !anyOf.every(requiredOnly)) {
      refuse("an allOf/anyOf that is not a group of `required` alternatives");
    }
    return anyOf.flatMap((option) => option.required);
  });
}

/** A parameter's rule: its schema's. */
function paramRule(deref, parameter) {
  const schema = deref(parameter.schema);
  if (schema.type !== "array") return fieldRule(parameter.name, schema, FIELD_KEYWORDS_WITH_DEFAULT);
  return { type: "array", items: fieldRule(`${parameter.name}[]`, deref(schema.items)) };
}

/**
 * A field's rule: its enum (an array); or its type or format as a string ("string", "integer", "boolean", "int64",
 * "date-time"); or, with a range or a pattern, `{ type, minimum?, maximum?, pattern? }`.
 */
function fieldRule(name, schema, keywords = FIELD_KEYWORDS) {
  const unknown = Object.keys(schema).find((keyword) => !keywords.has(keyword));
  if (unknown) refuse(`field ${name} uses \`${unknown}\``);
  if (schema.enum) return schema.enum;
  const type = schema.format === "int64" || schema.format === "date-time" ? schema.format : schema.type;
  // src/time.ts checks and writes the date-times; a date-time it does not write would go unchecked.
  if (type === "date-time" && !/^(start|end)(At|Time)$/.test(name))
    refuse(`${name} is a date-time src/time.ts does not write`);
  const { pattern } = schema;
  let { minimum, maximum } = schema;
  // int32 is a range too: a larger number is not one Lofty reads (the mock refuses it).
  if (schema.format === "int32") {
    minimum = Math.max(minimum ?? INT32_MIN, INT32_MIN);
    maximum = Math.min(maximum ?? INT32_MAX, INT32_MAX);
  }
  if (minimum === undefined && maximum === undefined && pattern === undefined) return type;
  return { type, minimum, maximum, pattern };
}

/** Each field's example, for the messages of missing or malformed ones (only those are shipped). */
function examplesOf(properties) {
  const examples = {};
  for (const [name, schema] of properties) {
    if (schema.example !== undefined && !schema.enum) examples[name] = schema.example;
  }
  return examples;
}

/**
 * A group of which one field must be given, as `{ fields, ends }`: `ends` are the convenience fields (`start`, `end`)
 * whose wire fields make up the group, so that giving one of them gives the group too; none for other fields.
 */
function requiredGroup(fields, times) {
  const ends = Object.keys(times).filter((end) => times[end].some((name) => fields.includes(name)));
  const ofEnds = ends.flatMap((end) => times[end]);
  if (ends.length > 0 && !fields.every((name) => ofEnds.includes(name)))
    refuse(`the group ${fields.join(", ")} mixes times and other fields`);
  return { fields, ends };
}

/** The time fields, per end: each date-time field `X` beside an epoch-ms field `XMs`. */
function timePairs(fields) {
  const pairs = {};
  for (const [name, rule] of Object.entries(fields)) {
    if (rule !== "date-time") continue;
    if (fields[`${name}Ms`] !== "int64") refuse(`date-time field ${name} has no ${name}Ms beside it`);
    pairs[name.startsWith("start") ? "start" : "end"] = [name, `${name}Ms`];
  }
  return pairs;
}

/**
 * A 200 body's shape: per required field its JSON type ("string", "number", "boolean") or its enum (an array),
 * nested; an array of items is `{ "[]": itemShape }` (no field of Lofty's is named "[]").
 */
function shape(deref, schema) {
  if (schema.type === "object") {
    const required = schema.required ?? [];
    return Object.fromEntries(required.map((name) => [name, shape(deref, deref(schema.properties[name]))]));
  }
  if (schema.type === "array") return { "[]": shape(deref, deref(schema.items)) };
  if (schema.enum) return schema.enum;
  if (!/^(string|number|integer|boolean)$/.test(schema.type)) refuse(`a 200 body field has type ${schema.type}`);
  return schema.type === "integer" ? "number" : schema.type;
}

/** The int64 identifiers of a 200 body, at any depth: fields named `…Id` (counts and `…Ms` times stay numbers). */
function idFields(deref, schema, found = new Set()) {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = deref(property);
    if (field.format === "int64" && /Id$/.test(name)) found.add(name);
    idFields(deref, field.type === "array" ? deref(field.items) : field, found);
  }
  return [...found];
}

/** Follows `#/components/...` refs inside the bundled spec. */
export function resolver(spec) {
  const resolve = (node) => {
    if (!node?.$ref) return node;
    return node.$ref
      .slice(2)
      .split("/")
      .reduce((at, key) => at[key], spec);
  };
  return resolve;
}

function refuse(what) {
  throw new Error(`spec: ${what}, which src/validate.ts does not check yet: teach it, then scripts/rules.mjs.`);
}
