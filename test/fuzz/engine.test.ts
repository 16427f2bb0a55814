// Fuzzing the engine: generated workflows that pass submission are driven to their end through
// applyEvent with random results, timers, locks, redeliveries, reloads and controls (drive.ts). The
// engine must never throw, must not get stuck (Running with nothing left to happen), and replaying the
// same events on a fresh state, reloaded from JSON midway, must end in the same status (determinism).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareWorkflow } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { assertInChunks, count, params, TEST_TIMEOUT_MS, timed } from './support.js';
import { drive, replay } from './drive.js';
import { toYaml, workflowObject } from './workflows.js';

/** The workflow as submission prepares it, or undefined when it is refused (the spec fuzz covers that). */
function prepared(object: unknown): Workflow | undefined {
  try {
    const workflow = prepareWorkflow(toYaml(object as never), 'fuzz.yaml', { shards: 4 });
    workflow.metadata.name = 'fuzz-abcde';
    workflow.metadata.uid = '00000000-0000-0000-0000-000000000000';
    workflow.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    return workflow;
  } catch {
    return undefined;
  }
}

describe('fuzz: engine', () => {
  it('drives accepted workflows to their end, deterministically, without a crash', async () => {
    await assertInChunks(
      fc.property(workflowObject(true), fc.integer(), fc.nat(), (object, seed, reloadPick) => {
        const workflow = prepared(object);
        if (!workflow) return void count('engine', 'refused at submission');
        timed('engine', () => {
          const run = drive(workflow, seed);
          count('engine', run.outcome === 'ended' ? `ended ${run.phase}` : 'capped');
          expect(replay(workflow, run.events, reloadPick % run.events.length)).toBe(run.status);
        });
      }),
      params(60, 2500),
    );
  }, TEST_TIMEOUT_MS);
});
