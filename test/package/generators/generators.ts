// The five generators teams use besides ours: where each writes its types and Zod schemas (as the README's recipes
// tell it to) and how it names what it generated.
import type { Target } from "./probes.js";

/** What every Zod version's schemas have. */
export interface Schema {
  safeParse(value: unknown): { success: boolean };
}
type Module = Record<string, any>;

export interface Generator {
  /** A short name, for test titles. */
  id: string;
  /** The npm package (pinned in devDependencies), as the README's recipe heading names it. */
  package: string;
  /** The bin the README runs with npx. */
  bin: string;
  /** The folder the README's recipe writes to, relative to the project. */
  out: string;
  /** The files (relative to the output folder) that tsc compiles; their imports come with them. */
  sources: string[];
  /** How a TypeScript program imports a component schema's type from the output folder. */
  typeOf(component: string): { imports: string; type: string };
  /** The module (relative to the output folder) that exports the Zod schemas, and how to find one by target. */
  zod: { entry: string; find(module: Module, target: Target): Schema | undefined };
  /** Packages the output imports that must be the generator's own dependency (e.g. its Zod 3), by name. */
  ownDependencies?: Record<string, string>;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** A field of a Zod object (Zod 3 or 4, through optional and default wrappers) or of a plain object of schemas. */
export function fieldOf(schema: any, name: string): any {
  let current = schema;
  for (let depth = 0; current?.safeParse && !current.shape && depth < 5; depth += 1) {
    current = current.unwrap?.() ?? current.removeDefault?.() ?? current._def?.innerType;
  }
  return current?.shape ? current.shape[name] : current?.[name];
}

export const generators: Generator[] = [
  {
    id: "hey-api",
    sources: ["index.ts", "zod.gen.ts"],
    package: "@hey-api/openapi-ts",
    bin: "openapi-ts",
    out: "src/lofty/hey-api",
    typeOf: (component) => ({ imports: `import type { ${component} } from "./types.gen";`, type: component }),
    zod: {
      entry: "zod.gen.ts",
      find(module, target) {
        if (target.kind === "component") return module[`z${target.component}`];
        const operation = pascal(target.operationId);
        if (target.kind === "body") return module[`z${operation}Body`];
        if (target.kind === "parameter") return fieldOf(module[`z${operation}${pascal(target.location)}`], target.name);
        // Only the success answer has an operation schema; the others are their components'.
        return target.status === "200" ? module[`z${operation}Response`] : module[`z${target.component}`];
      },
    },
  },
  {
    id: "orval",
    sources: ["client.ts", "zod.ts"],
    package: "orval",
    bin: "orval",
    out: "src/lofty/orval",
    typeOf: (component) => ({ imports: `import type { ${component} } from "./client";`, type: component }),
    zod: {
      entry: "zod.ts",
      find(module, target) {
        // orval names its schemas by operation only.
        if (target.kind === "component") return undefined;
        if (target.kind === "body") return module[`${target.operationId}Body`];
        if (target.kind === "parameter") {
          const group = target.location === "path" ? "Params" : `${pascal(target.location)}Params`;
          return fieldOf(module[`${target.operationId}${group}`], target.name);
        }
        return module[`${target.operationId}${target.status}Response`];
      },
    },
  },
  {
    id: "kubb",
    sources: ["index.ts"],
    package: "@kubb/cli",
    bin: "kubb",
    out: "src/lofty/kubb",
    typeOf: (component) => ({ imports: `import type { ${component} } from "./types/index.js";`, type: component }),
    zod: {
      entry: "zod/index.ts",
      find(module, target) {
        if (target.kind === "component") return module[`${camel(target.component)}Schema`];
        const { operationId } = target;
        if (target.kind === "body") return module[`${operationId}MutationRequestSchema`];
        if (target.kind === "parameter") {
          return fieldOf(module[`${operationId}${pascal(target.location)}ParamsSchema`], target.name);
        }
        return module[`${operationId}${target.status}Schema`];
      },
    },
  },
  {
    id: "typed-openapi",
    sources: ["client.ts", "zod.ts"],
    package: "typed-openapi",
    bin: "typed-openapi",
    out: "src/lofty/typed-openapi",
    typeOf: (component) => ({ imports: `import type { Schemas } from "./client";`, type: `Schemas.${component}` }),
    zod: {
      entry: "zod.ts",
      find(module, target) {
        if (target.kind === "component") return module[target.component];
        const endpoint = Object.entries(module).find(([name]) => name.endsWith(`_${pascal(target.operationId)}`))?.[1];
        const parameters = fieldOf(endpoint, "parameters");
        if (target.kind === "body") return fieldOf(parameters, "body") ?? module[target.component ?? ""];
        if (target.kind === "parameter") return fieldOf(fieldOf(parameters, target.location), target.name);
        return fieldOf(fieldOf(endpoint, "responses"), target.status) ?? module[target.component ?? ""];
      },
    },
  },
  {
    id: "openapi-zod-client",
    sources: ["client.ts"],
    package: "openapi-zod-client",
    bin: "openapi-zod-client",
    out: "src/lofty/openapi-zod-client",
    typeOf: (component) => ({
      imports: `import type { z } from "zod";\nimport type { schemas } from "./client";`,
      type: `z.infer<typeof schemas.${component}>`,
    }),
    zod: {
      entry: "client.ts",
      find(module, target) {
        if (target.kind === "component") return module.schemas[target.component];
        const endpoint = module.api.api.find((e: any) => e.alias === target.operationId);
        if (target.kind === "body") return endpoint?.parameters?.find((p: any) => p.type === "Body")?.schema;
        if (target.kind === "parameter") {
          return endpoint?.parameters?.find((p: any) => p.type === pascal(target.location) && p.name === target.name)
            ?.schema;
        }
        if (target.status === "200") return endpoint?.response;
        return endpoint?.errors?.find((e: any) => String(e.status) === target.status)?.schema;
      },
    },
    // Its output is written for Zod 3 and @zodios/core, which it depends on itself.
    ownDependencies: { zod: "openapi-zod-client", "@zodios/core": "openapi-zod-client" },
  },
];
