// The chaos run's report: what was done, what was found, and which findings are violations (any one
// fails the short test and makes `npm run chaos` exit 1). See docs/testing.md for each check.
import { rmSync } from 'node:fs';
import type { ChaosOptions } from './chaos.js';
import { countEntries, ENDED, type KeysAfterDelete, type LockState, type WorkflowEnd } from './inspect.js';
import type { LifeEvent, Role } from './processes.js';
import type { WitnessReport } from './witness.js';
import { SEMAPHORE } from './workloads.js';

export interface ChaosReport {
  seed: number;
  options: Omit<ChaosOptions, 'progress'>;
  dir: string;
  /** `appendfsync` of the run's Redis. */
  redisFsync: string;
  elapsedS: number;
  submissions: { acknowledged: number; retried: { name: string; error: string }[]; abandoned: string[] };
  kills: Record<Role, number>;
  workflows: { byPhase: Record<string, number>; notSucceeded: WorkflowEnd[]; missing: string[] };
  nodes: WitnessReport & { rerunsByCause: Record<string, number> };
  maxHolders: Record<string, number>;
  locksAtEnd: LockState;
  keysAfterDelete: KeysAfterDelete;
  deleteFailures: { name: string; error: string }[];
  unexpectedExits: (LifeEvent & { logTail: string })[];
  violations: string[];
}

/** Removes a clean run's folder; a run with violations keeps it as evidence. */
export function cleanUp(report: ChaosReport): void {
  if (report.violations.length === 0 && !report.options.keepDir) rmSync(report.dir, { recursive: true, force: true });
}

export function violations(r: ChaosReport): string[] {
  const found: string[] = [];
  if (r.submissions.abandoned.length > 0) found.push(`${r.submissions.abandoned.length} workflows could not be submitted: ${r.submissions.abandoned.join(', ')}`);
  if (r.workflows.missing.length > 0) found.push(`${r.workflows.missing.length} acknowledged workflows are not in the store: ${r.workflows.missing.join(', ')}`);
  const open = r.workflows.notSucceeded.filter((e) => !ENDED.has(e.phase));
  if (open.length > 0) found.push(`${open.length} workflows did not end: ${open.map((e) => `${e.name} (${e.phase})`).join(', ')}`);
  const failed = r.workflows.notSucceeded.filter((e) => ENDED.has(e.phase));
  if (failed.length > 0) found.push(`${failed.length} workflows ended but did not succeed: ${failed.map((e) => `${e.name} ${e.phase}: ${e.message ?? ''}`).join('; ')}`);
  const unexplained = r.nodes.reruns.filter((x) => x.causes.includes('unexplained'));
  if (unexplained.length > 0) found.push(`${unexplained.length} nodes ran more than once with no worker killed under them: ${unexplained.map((x) => `${x.pod} ×${x.runs.length}`).join(', ')}`);
  for (const [lock, max] of Object.entries(r.maxHolders)) {
    const limit = lock.endsWith(`/${SEMAPHORE.configMap}/${SEMAPHORE.key}`) ? SEMAPHORE.limit : 1;
    if (max > limit) found.push(`lock ${lock} had ${max} holders at once (limit ${limit})`);
  }
  const held = countEntries(r.locksAtEnd.holders);
  const waiting = countEntries(r.locksAtEnd.waiters);
  if (held + waiting + r.locksAtEnd.requests > 0) found.push(`locks at the end: ${held} held, ${waiting} waiting, ${r.locksAtEnd.requests} requests`);
  if (r.deleteFailures.length > 0) found.push(`${r.deleteFailures.length} deletes failed: ${r.deleteFailures.map((d) => `${d.name}: ${d.error}`).join('; ')}`);
  if (r.keysAfterDelete.leftover.length > 0) found.push(`${r.keysAfterDelete.leftover.length} keys left after deleting every workflow: ${r.keysAfterDelete.leftover.slice(0, 20).join(', ')}`);
  const entries = Object.entries(r.keysAfterDelete.leftoverEntries);
  if (entries.length > 0) found.push(`entries left in global keys: ${entries.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  if (r.unexpectedExits.length > 0) found.push(`${r.unexpectedExits.length} processes exited on their own: ${r.unexpectedExits.map((e) => `${e.process} (${e.detail})`).join(', ')}`);
  return found;
}

export function summary(r: ChaosReport): string {
  const rows: [string, string][] = [
    ['seed', String(r.seed)],
    ['elapsed', `${r.elapsedS} s`],
    ['redis appendfsync', r.redisFsync],
    ['kills', `scheduler ${r.kills.scheduler}, worker ${r.kills.worker}, redis ${r.kills.redis}`],
    ['submitted', `${r.submissions.acknowledged} (${r.submissions.retried.length} retried tries, ${r.submissions.abandoned.length} abandoned)`],
    ['workflows by phase', Object.entries(r.workflows.byPhase).map(([p, n]) => `${p} ${n}`).join(', ') || 'none'],
    ['node runs', `${r.nodes.runs} runs of ${r.nodes.pods} pods`],
    ['nodes run more than once', `${r.nodes.reruns.length} (${Object.entries(r.nodes.rerunsByCause).map(([c, n]) => `${c}: ${n}`).join('; ') || 'none'})`],
    ['runs that outlived their worker', String(r.nodes.outlivedWorker.length)],
    ['max holders per lock', Object.entries(r.maxHolders).map(([l, n]) => `${l}=${n}`).join(', ') || 'none sampled'],
    ['locks at the end', `${Object.values(r.locksAtEnd.holders).flat().length} held, ${Object.values(r.locksAtEnd.waiters).flat().length} waiting, ${r.locksAtEnd.requests} requests`],
    ['keys after delete', `${r.keysAfterDelete.global.length} global, ${r.keysAfterDelete.leftover.length} leftover`],
    ['violations', String(r.violations.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), ...r.violations.map((v) => `  ✗ ${v}`), `run folder: ${r.dir}`].join('\n');
}
