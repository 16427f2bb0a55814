import { describe, expect, it } from 'vitest';
import { POD_SPEC_SCHEMA, strategicMerge } from './strategic-merge.js';

const spec = {
  containers: [
    { name: 'wait', image: 'regatta' },
    { name: 'main', image: 'alpine', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
  ],
  volumes: [{ name: 'v', emptyDir: {} }],
  tolerations: [{ key: 'a', operator: 'Exists' }],
  nodeSelector: { disk: 'ssd', zone: 'a' },
};

describe('strategic merge patch of a pod spec', () => {
  it('merges containers by name and their env by name, leaving the rest and the target as they were', () => {
    const before = JSON.stringify(spec);
    const patched = strategicMerge(spec, { containers: [{ name: 'main', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] }, POD_SPEC_SCHEMA);
    expect(patched).toMatchObject({
      containers: [
        { name: 'wait', image: 'regatta' },
        { name: 'main', image: 'alpine', env: [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }] },
      ],
    });
    expect(JSON.stringify(spec)).toBe(before);
  });

  it('replaces lists without a merge key and merges maps, null deleting a field', () => {
    const patched = strategicMerge(spec, { tolerations: [{ key: 'b', operator: 'Exists' }], nodeSelector: { zone: null, pool: 'x' } }, POD_SPEC_SCHEMA);
    expect(patched).toMatchObject({ tolerations: [{ key: 'b', operator: 'Exists' }], nodeSelector: { disk: 'ssd', pool: 'x' } });
    expect((patched as { nodeSelector: object }).nodeSelector).not.toHaveProperty('zone');
  });

  it('removes an element with $patch: delete and replaces a list with $patch: replace', () => {
    const deleted = strategicMerge(spec, { volumes: [{ name: 'v', $patch: 'delete' }], containers: [{ name: 'main', volumeMounts: [{ mountPath: '/v', $patch: 'delete' }] }] }, POD_SPEC_SCHEMA);
    expect(deleted).toMatchObject({ volumes: [], containers: [{ name: 'wait' }, { name: 'main', volumeMounts: [] }] });
    const replaced = strategicMerge(spec, { volumes: [{ $patch: 'replace' }, { name: 'w', emptyDir: { medium: 'Memory' } }] }, POD_SPEC_SCHEMA);
    expect((replaced as { volumes: unknown }).volumes).toEqual([{ name: 'w', emptyDir: { medium: 'Memory' } }]);
  });

  it('replaces a whole map with $patch: replace', () => {
    const patched = strategicMerge(spec, { nodeSelector: { $patch: 'replace', pool: 'x' } }, POD_SPEC_SCHEMA);
    expect((patched as { nodeSelector: unknown }).nodeSelector).toEqual({ pool: 'x' });
  });
});
