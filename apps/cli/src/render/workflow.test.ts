import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { renderWorkflow } from './index.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function hello(status: Partial<NonNullable<Workflow['status']>>, nodes: NodeStatus[] = []): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'hello-x7k2p', namespace: 'default', creationTimestamp: at(0) },
    spec: { entrypoint: 'main', templates: [], arguments: { parameters: [{ name: 'message', value: 'hi' }, { name: 'unset' }] } },
    status: { phase: 'Running', nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), ...status },
  } as Workflow;
}

const pod = (fields: Partial<NodeStatus>): NodeStatus => ({
  id: 'hello-x7k2p',
  name: 'hello-x7k2p',
  displayName: 'hello-x7k2p',
  type: 'Pod',
  templateName: 'main',
  phase: 'Succeeded',
  startedAt: at(0),
  finishedAt: at(63),
  ...fields,
});

describe('renderWorkflow', () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('prints the argo get header, a blank line, then the tree', () => {
    const wf = hello(
      {
        phase: 'Failed',
        message: 'Error (exit code 1)',
        startedAt: at(0),
        finishedAt: at(63),
        progress: '0/1',
        outputs: { parameters: [{ name: 'result', value: '42' }] },
      },
      [pod({ phase: 'Failed', message: 'Error (exit code 1)' })],
    );
    expect(renderWorkflow(wf, { now: new Date(T0 + 3_600_000), color: false })).toBe(
      [
        'Name:                hello-x7k2p',
        'Namespace:           default',
        'Status:              Failed',
        'Message:             Error (exit code 1)',
        'Created:             Wed May 01 10:00:00 +0000 (1 hour ago)',
        'Started:             Wed May 01 10:00:00 +0000 (1 hour ago)',
        'Finished:            Wed May 01 10:01:03 +0000 (58 minutes ago)',
        'Duration:            1 minute 3 seconds',
        'Progress:            0/1',
        'Parameters:',
        '  message:           hi',
        'Output Parameters:',
        '  result:            42',
        '',
        'STEP            TEMPLATE  PODNAME      DURATION  MESSAGE',
        ' ✖ hello-x7k2p  main      hello-x7k2p  1m        Error (exit code 1)',
      ].join('\n'),
    );
  });

  it('runs the duration of a running workflow up to now', () => {
    const out = renderWorkflow(hello({ startedAt: at(0) }), { now: new Date(T0 + 5_000), color: false });
    expect(out).toContain('\nDuration:            5 seconds\n');
    expect(out).not.toContain('Finished:');
  });

  it('says Pending before the workflow starts, and Unknown without a creation time', () => {
    const pending = hello({ phase: 'Pending' });
    expect(renderWorkflow(pending, { now: new Date(T0), color: false })).toContain('\nStatus:              Pending\n');
    const unknown = { ...pending, metadata: { name: 'x', namespace: 'default' } };
    expect(renderWorkflow(unknown, { now: new Date(T0), color: false })).toContain('\nStatus:              Unknown');
  });

  it('says Running (Suspended) while a suspend node waits', () => {
    const wf = hello({ startedAt: at(0) }, [pod({ type: 'Suspend', phase: 'Running', finishedAt: undefined })]);
    const out = renderWorkflow(wf, { now: new Date(T0), color: false });
    expect(out).toContain('\nStatus:              Running (Suspended)\n');
    expect(out).toContain(' ǁ hello-x7k2p');
  });

  it('keeps every line, header included, within the width and free of escapes without colour', () => {
    const long = 'y'.repeat(300);
    const wf = hello({ phase: 'Failed', message: long, startedAt: at(0), finishedAt: at(1) }, [pod({ phase: 'Failed', message: long })]);
    const out = renderWorkflow(wf, { now: new Date(T0), color: false, width: 50 });
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(50);
    expect(out).not.toContain('\x1b');
  });
});
