/**
 * npm run bench -- <name> [args...]   runs bench/<name>.ts, whose `run(args)` prints its figures
 * (last line: a one-line summary). npm run bench -- with no name lists the benchmarks.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2).filter((a) => a !== "--");
  const dir = __dirname;
  const available = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f !== "run.ts")
    .map((f) => f.replace(/\.ts$/, ""));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join("|")}>`);
    return 2;
  }
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { run?: (args: string[]) => Promise<unknown> };
  if (typeof mod.run !== "function") {
    console.error(`bench/${name}.ts exports no run()`);
    return 2;
  }
  await mod.run(args);
  // A benchmark that missed its target sets process.exitCode; keep it.
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
