// Vitest global setup: one real Prism mock for the whole run, started on a free port and stopped by pid at the end.
import type { TestProject } from "vitest/node";
import { startPrism } from "../../mocks/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock serving spec/ (e.g. http://127.0.0.1:40123). */
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startPrism();
  project.provide("mockUrl", prism.url);
  // Teardown runs when tests fail too, so no Prism outlives the run.
  return () => prism.stop();
}
