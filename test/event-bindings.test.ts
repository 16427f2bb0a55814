// WorkflowEventBindings through the real CLI, kept as kubectl keeps them: applied from files (every
// expression parsed first, a bad file storing nothing), listed, shown and deleted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkflowEventBinding } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-bindings-'));
afterAll(() => removePrefix(prefix));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const cli = (...args: string[]) => regatta(args, prefix);

const BINDING = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: event-consumer
spec:
  event:
    selector: payload.message != "" && discriminator == "my-discriminator"
  submit:
    workflowTemplateRef:
      name: my-wf-tmple
    arguments:
      parameters:
      - name: message
        valueFrom:
          event: payload.message
`;

describe('event-binding', () => {
  it('applies, lists, shows and deletes WorkflowEventBindings as kubectl does', async () => {
    const path = file('binding.yaml', `${BINDING}---\n${BINDING.replace('name: event-consumer', 'name: second')}`);
    expect((await cli('event-binding', 'apply', '-f', path, '-n', 'argo')).stdout).toBe(
      'workfloweventbinding.argoproj.io/event-consumer created\nworkfloweventbinding.argoproj.io/second created\n',
    );
    expect((await cli('event-binding', 'apply', '-f', path, '-n', 'argo')).stdout).toContain('event-consumer unchanged');
    expect((await cli('event-binding', 'list', '-n', 'argo')).stdout).toMatch(/^NAME +TEMPLATE +AGE\nevent-consumer +my-wf-tmple +\d+s\nsecond +my-wf-tmple +\d+s\n$/);
    const shown = JSON.parse((await cli('event-binding', 'get', 'second', '-n', 'argo', '-o', 'json')).stdout) as WorkflowEventBinding;
    expect(shown.spec.submit?.arguments?.parameters?.[0]?.valueFrom.event).toBe('payload.message');
    expect((await cli('event-binding', 'delete', 'second', '-n', 'argo')).stdout).toBe('workfloweventbinding.argoproj.io "second" deleted\n');
    expect((await cli('event-binding', 'get', 'second', '-n', 'argo')).stderr).toBe('WorkflowEventBinding "second" not found in namespace "argo"\n');
  });

  it('refuses a file with a bad expression or a bad shape, naming the place, and stores nothing', async () => {
    const bad = file('bad.yaml', `${BINDING.replace('name: event-consumer', 'name: fine')}---\n${BINDING.replace('name: event-consumer', 'name: broken').replace('event: payload.message', 'event: payload.message +')}`);
    const refused = await cli('event-binding', 'apply', '-f', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('bad.yaml: WorkflowEventBinding "broken": spec.submit.arguments.parameters[0].valueFrom.event: expression "payload.message +"');
    const shape = await cli('event-binding', 'apply', '-f', file('shape.yaml', BINDING.replace('    selector:', '    selectr:')));
    expect(shape.stderr).toMatch(/shape\.yaml:7:\d+: spec\.event\.selector: must be an expression/);
    expect((await cli('event-binding', 'list')).stdout).toBe('NAME  TEMPLATE  AGE\n');
  });
});
