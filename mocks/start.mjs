// `npm start`: serves the spec as a mock on 127.0.0.1:$PORT (default 4010) until Ctrl+C.
import { startPrism } from "./prism.mjs";

const port = Number(process.env.PORT ?? 4010);
const prism = await startPrism({ port, stdio: "inherit" });
console.log(
  `Lofty mock (Prism) listening on ${prism.url}/v2.0/calendar. Pick a scenario with a Prefer header: ` +
    `"example=task", "example=appointment" or "code=400|401|403|404|429|500" (README: Mock server).`,
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => prism.stop().then(() => process.exit(0)));
}
prism.child.on("exit", (code) => process.exit(code ?? 1));
