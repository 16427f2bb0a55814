// `npm run chaos -- [--minutes M] [--seed S] [--kills K] [--workflows W] [--schedulers N] [--workers N] [--keep]`:
// one long chaos run; prints the report as JSON and a summary, and exits 1 on any violation.
import { runChaos } from './chaos.js';
import { cleanUp, summary } from './report.js';

function parseArgs(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags[arg.slice(2)] = true;
    else flags[arg.slice(2)] = argv[++i]!;
  }
  return flags;
}

function number(flags: Record<string, string | true>, name: string, fallback: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number, got "${raw}"`);
  return value;
}

const flags = parseArgs(process.argv.slice(2));
const minutes = number(flags, 'minutes', 5);
const report = await runChaos({
  seed: number(flags, 'seed', Date.now() % 100_000),
  durationMs: minutes * 60_000,
  kills: number(flags, 'kills', Math.round(minutes * 6)),
  workflows: number(flags, 'workflows', Math.round(minutes * 8)),
  schedulers: number(flags, 'schedulers', 2),
  workers: number(flags, 'workers', 3),
  endTimeoutMs: number(flags, 'end-timeout', 180) * 1000,
  keepDir: flags.keep === true,
  progress: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n${summary(report)}\n`);
cleanUp(report);
process.exitCode = report.violations.length > 0 ? 1 : 0;
