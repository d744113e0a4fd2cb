// Preloaded into Prism's process (`node --require mocks/prism-preload.cjs …/prism-cli/dist/index.js`) so that Prism
// starts in about half the time, without changing what it does.
//
// Why: Prism's start-up is mostly loading modules (about 1,100 of them). Two big groups are loaded eagerly but only
// used for inputs our mock never has:
// - `@faker-js/faker` (prism-http's mocker/generator/JSONSchema.js): Faker 6 loads every locale on require, about
//   0.6 s on 2 cores. json-schema-faker reads it only for a schema with a `faker` (x-faker) keyword.
// - `@stoplight/http-spec/postman/operation` (prism-http's utils/operations.js): the Postman-collection reader, about
//   0.15 s with postman-collection and another faker. Called only when the document is a Postman collection.
// Each is replaced by a stand-in that loads the real module on first use, so Prism behaves exactly as before: a
// schema that asks for faker, or a Postman collection, still gets the real thing, once, a moment later.
//
// CommonJS because Prism is CommonJS: the hook intercepts only those two requests, and only from prism-http.
"use strict";
const Module = require("node:module");
const { sep } = require("node:path");

const load = Module._load;
const prismHttp = `${sep}@stoplight${sep}prism-http${sep}`;

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

/** The stand-in exports of each deferred module, given the function that loads the real ones. */
const standIns = {
  // JSONSchema.js hands `faker_1.default` to json-schema-faker at load time: the stand-in is the default export.
  "@faker-js/faker": (loadReal) => {
    const faker = deferred(() => loadReal().faker);
    return { __esModule: true, default: faker, faker };
  },
  // operations.js reads `transformPostmanCollectionOperations` off the module only when it calls it.
  "@stoplight/http-spec/postman/operation": (loadReal) => deferred(loadReal),
};

Module._load = function loadDeferringUnusedModules(request, parent, isMain) {
  const standIn = Object.hasOwn(standIns, request) ? standIns[request] : undefined;
  const fromPrismHttp = parent?.filename?.includes(prismHttp) ?? false;
  if (standIn === undefined || !fromPrismHttp) return load.call(this, request, parent, isMain);
  return standIn(() => load.call(this, request, parent, isMain));
};
