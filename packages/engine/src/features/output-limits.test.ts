import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';
import { MAX_OUTPUT_BYTES, MAX_OUTPUT_PARAMETERS } from './output-limits.js';

const WORKFLOW = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: outputs-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - {name: use, template: use, arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.parameters.big}}"}]}}
  - name: gen
    container: {image: busybox, command: [sh, -c, "head -c 2000000 /dev/zero | tr '\\\\0' x > /tmp/big"]}
    outputs: {parameters: [{name: big, valueFrom: {path: /tmp/big}}]}
  - name: use
    inputs: {parameters: [{name: x}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.x}}"]}
`;

describe("a node's outputs over the limits", () => {
  it('end the node in Error naming the output, and keep none of them', () => {
    const run = new Driver(WORKFLOW).submit();
    run.finish('gen', 'Succeeded', { parameters: [{ name: 'small', value: 'ok' }, { name: 'big', value: 'é'.repeat(MAX_OUTPUT_BYTES / 2 + 1) }] });
    expect(run.node('wf[0].gen')).toMatchObject({
      phase: 'Error',
      message: `output parameter "big" (${MAX_OUTPUT_BYTES + 2} bytes) takes the node's outputs over the limit of ${MAX_OUTPUT_BYTES} bytes`,
    });
    expect(run.node('wf[0].gen').outputs).toBeUndefined();
    expect(run.running()).toEqual([]);
    expect(run.state.status.phase).toBe('Failed');
  });

  it('count parameters and result together', () => {
    const run = new Driver(WORKFLOW).submit();
    run.finish('gen', 'Succeeded', { parameters: [{ name: 'big', value: 'x'.repeat(MAX_OUTPUT_BYTES - 10) }], result: 'y'.repeat(11) });
    expect(run.node('wf[0].gen').message).toBe(`result (11 bytes) takes the node's outputs over the limit of ${MAX_OUTPUT_BYTES} bytes`);
  });

  it(`refuse more than ${MAX_OUTPUT_PARAMETERS} parameters`, () => {
    const run = new Driver(WORKFLOW).submit();
    const parameters = Array.from({ length: MAX_OUTPUT_PARAMETERS + 1 }, (_, i) => ({ name: `p${i}`, value: '1' }));
    run.finish('gen', 'Succeeded', { parameters });
    expect(run.node('wf[0].gen')).toMatchObject({ phase: 'Error', message: `${MAX_OUTPUT_PARAMETERS + 1} output parameters, over the limit of ${MAX_OUTPUT_PARAMETERS}` });
  });

  it('keep outputs within the limits', () => {
    const run = new Driver(WORKFLOW).submit();
    run.finish('gen', 'Succeeded', { parameters: [{ name: 'big', value: 'x'.repeat(MAX_OUTPUT_BYTES) }] });
    expect(run.node('wf[0].gen').phase).toBe('Succeeded');
    expect(run.job('use').container.command[1]).toHaveLength(MAX_OUTPUT_BYTES);
  });
});
