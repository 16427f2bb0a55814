import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: metrics-}
spec:
  entrypoint: main
  templates:
  - name: main
    metrics:
      prometheus:
      - name: duration_gauge
        help: Duration by name
        labels: [{key: name, value: main}]
        gauge: {realtime: true, value: "{{duration}}"}
      - name: result_counter
        help: Results
        labels: [{key: status, value: "{{status}}"}]
        when: "{{status}} == Failed"
        counter: {value: "1"}
    container: {image: busybox, command: ["true"]}
`;

describe('custom metrics', () => {
  it('starts realtime gauges with the node and emits the rest, with when, as it ends', () => {
    const run = new Driver(yaml);
    const started = run.applyRaw({ type: 'workflowSubmitted' });
    const startedAt = run.node('wf').startedAt!;
    expect(started.commands).toContainEqual({
      type: 'emitMetrics',
      metrics: [{ name: 'duration_gauge', help: 'Duration by name', kind: 'gauge', labels: { name: 'main' }, value: 0, realtimeSince: startedAt }],
    });
    const job = run.job('wf');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Failed' });
    expect(ended.commands).toContainEqual({
      type: 'emitMetrics',
      metrics: [
        { name: 'duration_gauge', help: 'Duration by name', kind: 'gauge', labels: { name: 'main' }, value: 1 },
        { name: 'result_counter', help: 'Results', kind: 'counter', labels: { status: 'Failed' }, value: 1 },
      ],
    });
  });
});
