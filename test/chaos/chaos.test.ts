// The short chaos run of the default suite (about 1-2 minutes): 2 schedulers, 2 workers and Redis are
// SIGKILLed and restarted while 8 workflows of every shape run. `npm run chaos` is the long one.
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.js';
import { cleanUp } from './report.js';

describe('chaos (short)', () => {
  it('every workflow succeeds, reruns only under killed workers, no lock or key is left', async () => {
    const seed = Number(process.env.REGATTA_CHAOS_SEED ?? 1);
    const report = await runChaos({ seed, durationMs: 40_000, kills: 5, workflows: 8, schedulers: 2, workers: 2, endTimeoutMs: 90_000 });
    // The run must have done what it claims: one kill of each role at least, every workflow in.
    expect(report.kills.scheduler * report.kills.worker * report.kills.redis).toBeGreaterThan(0);
    expect(report.submissions.acknowledged).toBe(8);
    expect(report.nodes.runs).toBeGreaterThan(0);
    expect(report.violations, JSON.stringify(report, null, 2)).toEqual([]);
    cleanUp(report);
  }, 240_000);
});
