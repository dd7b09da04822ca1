import { writeFileSync } from "node:fs";
import { CommanderError } from "commander";
import { parseBenchOptions } from "./options.js";
import { formatMarkdown } from "./report/format-markdown.js";
import { formatReport } from "./report/format-report.js";
import { repoRoot } from "./repo-root.js";
import { runBench } from "./run-bench.js";

/** `npm run bench -- [options]`: runs the benchmark of issue 6 and prints the results (docs/performance.md). */
async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const report = await runBench(options, repoRoot());
  process.stdout.write(`${formatReport(report)}\n`);
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`Wrote ${options.json}\n`);
  }
  if (options.markdown) {
    writeFileSync(options.markdown, `${formatMarkdown(report)}\n`);
    process.stderr.write(`Wrote ${options.markdown}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
