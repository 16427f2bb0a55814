// The outputs annotation: what the wait container writes and the executor reads back, within what a
// pod's annotations may hold.
import { describe, expect, it } from 'vitest';
import { ANNOTATION_OUTPUTS, decodeOutputs, encodeOutputs, OUTPUTS_ANNOTATION_LIMIT } from './pod-outputs.js';

describe('the outputs annotation', () => {
  it('reads back what was written', () => {
    const outputs = { result: 'hello', exitCode: '0', parameters: [{ name: 'answer', value: '42' }], artifacts: [{ name: 'art', path: '/tmp/a', key: 'ns/uid/pod/art.tgz' }] };
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: encodeOutputs(outputs) })).toEqual(outputs);
    expect(decodeOutputs({ other: 'x' })).toBeUndefined();
  });

  it('reports outputs too large for a pod annotation as an error naming their size, keeping the exit code', () => {
    const encoded = encodeOutputs({ result: 'x'.repeat(OUTPUTS_ANNOTATION_LIMIT), exitCode: '0' });
    expect(Buffer.byteLength(encoded)).toBeLessThan(OUTPUTS_ANNOTATION_LIMIT);
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: encoded })).toEqual({
      exitCode: '0',
      error: `the node's outputs take ${OUTPUTS_ANNOTATION_LIMIT + 28} bytes, more than the ${OUTPUTS_ANNOTATION_LIMIT} a pod annotation can carry`,
    });
  });

  it('turns a malformed annotation into an error naming it', () => {
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: '{' })).toEqual({ error: `annotation ${ANNOTATION_OUTPUTS}: not JSON` });
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: '[]' })).toEqual({ error: `annotation ${ANNOTATION_OUTPUTS}: not an object` });
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: '{"parameters":[{"name":"p","value":1}]}' })).toEqual({ error: `annotation ${ANNOTATION_OUTPUTS}: fields of the wrong type` });
    expect(decodeOutputs({ [ANNOTATION_OUTPUTS]: '{"artifacts":[{"key":"k"}]}' })).toEqual({ error: `annotation ${ANNOTATION_OUTPUTS}: fields of the wrong type` });
  });
});
