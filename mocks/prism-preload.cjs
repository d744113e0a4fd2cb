// Preloaded into Prism's process (`node --require mocks/prism-preload.cjs …/prism-cli/dist/index.js`) so that Prism
// starts in about half the time. It changes no answer Prism gives; only the route list Prism prints at `info` level
// shows path templates instead of example URLs.
//
// Why: most of Prism's start-up is work for features our mock never uses. Measured on 2 cores:
// - `@faker-js/faker` (prism-http's mocker/generator/JSONSchema.js): Faker 6 loads every locale on require, about
//   0.6 s. json-schema-faker reads it only for a schema with an `x-faker` keyword, which our spec has none of.
// - `@stoplight/http-spec/postman/operation` (prism-http's utils/operations.js): the Postman-collection reader, about
//   0.15 s with postman-collection and another faker. Called only when the document is a Postman collection.
// - `createExamplePath` (prism-cli's util/paths.js): at start, Prism generates an example value for every parameter
//   of every operation, only to print each route as an example URL at `info` level (the mock logs at `warn`, so the
//   lines are dropped). For a string parameter without a parameter-level example, Prism marks the schema `x-faker`,
//   which loads faker after all: most of the 0.6 s again.
// The first two are replaced by stand-ins that load the real module on first use, so a schema that does ask for
// faker, or a Postman collection, still gets the real thing, a moment later. The third answers "no example URL",
// and Prism prints the route's template instead, as it does for any route it cannot make an example for.
//
// CommonJS because Prism is CommonJS: the hook intercepts only these requests, and only from Prism's own files.
"use strict";
const Module = require("node:module");
const { sep } = require("node:path");

const load = Module._load;

/** An object that forwards every read to what `loadReal()` returns, calling it on the first read only. */
function deferred(loadReal) {
  let real;
  const target = () => {
    real ??= loadReal();
    return real;
  };
  return new Proxy(
    {},
    {
      get: (_stub, key) => Reflect.get(target(), key),
      has: (_stub, key) => Reflect.has(target(), key),
    },
  );
}

/**
 * The stand-ins: which request, from which of Prism's files (a path fragment), and the exports given instead (from
 * the function that loads the real module, and the requiring module).
 */
const standIns = [
  {
    // JSONSchema.js hands `faker_1.default` to json-schema-faker at load time: the stand-in is the default export.
    request: "@faker-js/faker",
    from: `${sep}@stoplight${sep}prism-http${sep}`,
    exports: (loadReal) => {
      const faker = deferred(() => loadReal().faker);
      return { __esModule: true, default: faker, faker };
    },
  },
  {
    // operations.js reads `transformPostmanCollectionOperations` off the module only when it calls it.
    request: "@stoplight/http-spec/postman/operation",
    from: `${sep}@stoplight${sep}prism-http${sep}`,
    exports: (loadReal) => deferred(loadReal),
  },
  {
    // createServer.js: `pipe(createExamplePath(resource, …), E.getOrElse(() => resource.path))`, for a log line.
    request: "./paths",
    from: `${sep}@stoplight${sep}prism-cli${sep}dist${sep}util${sep}createServer.js`,
    exports: (_loadReal, parent) => {
      const Either = Module.createRequire(parent.filename)("fp-ts/Either");
      const noExample = Either.left(new Error("example URLs are not computed (mocks/prism-preload.cjs)"));
      return { createExamplePath: () => noExample };
    },
  },
];

Module._load = function loadWithStandIns(request, parent, isMain) {
  const filename = parent?.filename ?? "";
  const standIn = standIns.find((candidate) => candidate.request === request && filename.includes(candidate.from));
  if (standIn === undefined) return load.call(this, request, parent, isMain);
  return standIn.exports(() => load.call(this, request, parent, isMain), parent);
};
