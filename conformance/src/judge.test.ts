import type { NodeStatus, WorkflowStatus } from '@regatta/spec';
import { describe, expect, it } from 'vitest';
import { judge, type WorkflowRun } from './judge.js';

function node(fields: Partial<NodeStatus> & Pick<NodeStatus, 'id' | 'displayName' | 'phase'>): NodeStatus {
  return { name: fields.id, type: 'Pod', ...fields };
}

function run(phase: WorkflowStatus['phase'], nodes: NodeStatus[], extra: Partial<WorkflowStatus> = {}): WorkflowRun {
  return { name: 'coinflip-x7k2p', generateName: 'coinflip-', status: { phase, nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), ...extra } };
}

const root = node({ id: 'coinflip-x7k2p', displayName: 'coinflip-x7k2p', phase: 'Succeeded', type: 'Steps', children: ['coinflip-x7k2p-1'] });
const flip = node({ id: 'coinflip-x7k2p-1', name: 'coinflip-x7k2p[0].flip-coin', displayName: 'flip-coin', phase: 'Succeeded', outputs: { result: 'heads' } });

describe('judge', () => {
  it('passes a Succeeded workflow when nothing else is expected', () => {
    expect(judge(run('Succeeded', [root, flip]), undefined, undefined)).toEqual({ class: 'pass' });
  });

  it('checks node outputs by display name, the root node by its generateName', () => {
    const expect_ = { nodes: [{ displayName: 'flip-coin', result: { oneOf: ['heads', 'tails'] } }, { displayName: 'coinflip-*', phase: 'Succeeded' }] };
    expect(judge(run('Succeeded', [root, flip]), expect_, undefined)).toEqual({ class: 'pass' });
    expect(judge(run('Succeeded', [root, flip]), { nodes: [{ displayName: 'flip-coin', result: { matches: '^tails$' } }] }, undefined)).toEqual({
      class: 'fail',
      reason: 'node "flip-coin" result is "heads", expected to match /^tails$/',
    });
    expect(judge(run('Succeeded', [root]), { nodes: [{ displayName: 'flip-coin' }] }, undefined)).toEqual({ class: 'fail', reason: 'no node "flip-coin"' });
  });

  it('checks status.message and workflow output parameters', () => {
    const done = run('Succeeded', [root], { message: 'all good', outputs: { parameters: [{ name: 'out', value: '42' }] } });
    expect(judge(done, { message: { contains: 'good' }, outputs: { parameters: { out: '42' } } }, undefined)).toEqual({ class: 'pass' });
    expect(judge(done, { outputs: { parameters: { missing: 'x' } } }, undefined)).toEqual({ class: 'fail', reason: 'outputs parameter "missing" is missing, expected "x"' });
  });

  it('explains an unexpected phase with the workflow message and the first failed leaf, in names stable from run to run', () => {
    const failedRoot = { ...root, phase: 'Failed' as const, message: "child 'coinflip-x7k2p-1' failed" };
    const failed = { ...flip, phase: 'Failed' as const, message: 'command "cowsay" not found on this host' };
    expect(judge(run('Failed', [failedRoot, failed], { message: "child 'coinflip-x7k2p-1' failed" }), undefined, undefined)).toEqual({
      class: 'fail',
      reason: "Failed, expected Succeeded; child 'coinflip-*[0].flip-coin' failed; node \"flip-coin\": command \"cowsay\" not found on this host",
    });
  });

  it('accepts any phase of a list', () => {
    expect(judge(run('Failed', [root]), { phase: ['Succeeded', 'Failed'] }, undefined)).toEqual({ class: 'pass' });
  });

  it('reports a no-test example as skipped with the phase it reached, unless a phase is expected', () => {
    const failed = node({ id: 'coinflip-x7k2p-1', displayName: 'say', phase: 'Error', message: 'command "cowsay" not found on this host' });
    expect(judge(run('Error', [root, failed]), undefined, 'environment')).toEqual({
      class: 'skipped',
      reason: 'no-test label (environment): Error; node "say": command "cowsay" not found on this host',
    });
    expect(judge(run('Succeeded', [root]), undefined, 'flaky')).toEqual({ class: 'skipped', reason: 'no-test label (flaky): Succeeded' });
    expect(judge(run('Failed', [root]), { phase: 'Failed' }, 'expected-failure')).toEqual({ class: 'pass' });
  });

  it('fails a timed-out run, naming the nodes still running', () => {
    const running = node({ id: 'coinflip-x7k2p-2', displayName: 'sleep', phase: 'Running' });
    expect(judge({ ...run('Running', [root, running]), timedOutAfterS: 120 }, undefined, undefined)).toEqual({
      class: 'fail',
      reason: 'timed out after 120 s (running: "sleep")',
    });
    expect(judge({ ...run('Running', [root]), timedOutAfterS: 120 }, undefined, 'duration')).toEqual({
      class: 'skipped',
      reason: 'no-test label (duration): still Running after 120 s',
    });
  });
});
