// lofty-calendar/schema: the types generated from the spec, for teams that build payloads themselves.
export type { components, operations, paths, webhooks, $defs } from "../generated/schema.js";
