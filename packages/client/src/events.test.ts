// The events dispatcher against a real Redis, with no scheduler: which bindings an event matches, the
// workflows it submits (arguments, labels, annotations, name), and that a faulty binding is reported
// by name while the others still run.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflowEventBindings, type WorkflowEventBinding } from '@regatta/spec';
import { ResourceStore } from '@regatta/store';
import { bindingExpressionIssues, EventDispatcher, type BindingOutcome, type WorkflowEvent } from './events.js';
import { RedisWorkflowClient } from './redis-client.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;
let client: RedisWorkflowClient;
let resources: ResourceStore;
let dispatcher: EventDispatcher;

function binding(name: string, namespace: string, spec: string): WorkflowEventBinding {
  const text = `apiVersion: argoproj.io/v1alpha1\nkind: WorkflowEventBinding\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n${spec}`;
  return loadWorkflowEventBindings(text, `${name}.yaml`)[0]!;
}

function event(namespace: string, payload: unknown, headers: WorkflowEvent['headers'] = {}, discriminator = ''): WorkflowEvent {
  return { namespace, discriminator, payload, headers };
}

async function submitted(outcomes: BindingOutcome[], name: string) {
  const outcome = outcomes.find((o) => o.binding === name);
  if (!outcome || !('workflow' in outcome) || !outcome.workflow) throw new Error(`binding ${name} submitted nothing: ${JSON.stringify(outcome)}`);
  return client.getWorkflow(outcome.workflow.metadata.namespace!, outcome.workflow.metadata.name!);
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  client = new RedisWorkflowClient({ redis, url: REDIS_URL, prefix, shards: 2 });
  resources = new ResourceStore(redis, prefix);
  dispatcher = new EventDispatcher(resources, client);
  const spec = {
    entrypoint: 'main',
    arguments: { parameters: [{ name: 'message' }] },
    templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', '{{workflow.parameters.message}}'] } }],
  };
  for (const namespace of ['argo', 'quiet']) {
    await resources.create('WorkflowTemplate', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'say', namespace }, spec }]);
  }
  await resources.create('ClusterWorkflowTemplate', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: { name: 'say-everywhere' }, spec }]);
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

describe('the events dispatcher', () => {
  it("submits from the bound template with the payload's value, Argo's labels and the evaluated metadata", async () => {
    await resources.create('WorkflowEventBinding', [
      binding(
        'on-message',
        'argo',
        `  event:
    selector: payload.message != "" && metadata["x-argo-e2e"] == ["true"] && discriminator == "my-discriminator"
  submit:
    workflowTemplateRef: {name: say}
    metadata:
      labels: {someLabel: '"literal"'}
      annotations: {anAnnotation: 'payload.message'}
    arguments:
      parameters:
        - name: message
          valueFrom: {event: payload.message}
`,
      ),
    ]);
    const outcomes = await dispatcher.dispatch(event('argo', { message: 'hello events' }, { 'X-Argo-E2E': 'true', authorization: 'Bearer secret' }, 'my-discriminator'));
    const workflow = await submitted(outcomes, 'on-message');
    expect(workflow.metadata.name).toMatch(/^say-[a-z0-9]{5}$/);
    expect(workflow.metadata.labels).toEqual({
      'workflows.argoproj.io/workflow-template': 'say',
      someLabel: 'literal',
      'workflows.argoproj.io/workflow-event-binding': 'on-message',
    });
    expect(workflow.metadata.annotations).toEqual({ anAnnotation: 'hello events' });
    expect(workflow.spec.arguments?.parameters).toEqual([{ name: 'message', value: 'hello events' }]);
  });

  it('submits nothing when the selector is false: another discriminator, a missing header, an upper-case header name', async () => {
    const before = (await client.listWorkflows('argo')).length;
    for (const [headers, discriminator] of [
      [{ 'x-argo-e2e': 'true' }, 'other'],
      [{}, 'my-discriminator'],
      [{ 'x-argo-e2e': 'TRUE' }, 'my-discriminator'],
    ] as const) {
      expect(await dispatcher.dispatch(event('argo', { message: 'hi' }, headers, discriminator))).toEqual([{ binding: 'on-message', matched: false }]);
    }
    expect(await client.listWorkflows('argo')).toHaveLength(before);
  });

  it('shows only X- headers, in lower case and as lists, so Authorization never reaches an expression', async () => {
    await resources.create('WorkflowEventBinding', [
      binding(
        'headers',
        'quiet',
        `  event: {selector: 'true'}
  submit:
    workflowTemplateRef: {name: say}
    arguments:
      parameters:
        - {name: message, valueFrom: {event: 'toJson(metadata)'}}
`,
      ),
    ]);
    const outcomes = await dispatcher.dispatch(event('quiet', null, { 'X-Github-Event': 'push', 'x-multi': ['a', 'b'], Authorization: 'Bearer secret', cookie: 'c' }));
    const workflow = await submitted(outcomes, 'headers');
    const shown = JSON.parse(workflow.spec.arguments!.parameters![0]!.value!) as unknown;
    expect(shown).toEqual({ 'x-github-event': ['push'], 'x-multi': ['a', 'b'] });
    await resources.delete('WorkflowEventBinding', 'quiet', 'headers');
  });

  it("turns a result into a value as Argo does: strings as they are, anything else as Go's JSON", async () => {
    await resources.create('WorkflowEventBinding', [
      binding(
        'typed',
        'quiet',
        `  event: {selector: 'payload.kind == "typed"'}
  submit:
    workflowTemplateRef: {name: say-everywhere, clusterScope: true}
    metadata: {name: 'payload.name + "-world"'}
    arguments:
      parameters:
        - {name: message, valueFrom: {event: 'payload.count'}}
        - {name: object, valueFrom: {event: 'payload.object'}}
        - {name: flag, valueFrom: {event: 'payload.count > 2'}}
        - {name: html, valueFrom: {event: '"<b>" + payload.name'}}
`,
      ),
    ]);
    const outcomes = await dispatcher.dispatch(event('quiet', { kind: 'typed', name: 'hello', count: 3, object: { z: 1, a: [true, null, 'x<y'] } }));
    const workflow = await submitted(outcomes, 'typed');
    expect(workflow.metadata.name).toBe('hello-world');
    expect(workflow.metadata.labels).toMatchObject({ 'workflows.argoproj.io/cluster-workflow-template': 'say-everywhere' });
    expect(workflow.spec.arguments?.parameters).toEqual([
      { name: 'message', value: '3' },
      { name: 'object', value: '{"a":[true,null,"x\\u003cy"],"z":1}' },
      { name: 'flag', value: 'true' },
      { name: 'html', value: '<b>hello' },
    ]);
    await resources.delete('WorkflowEventBinding', 'quiet', 'typed');
  });

  it('reports a selector that is not a boolean, a failing expression and a missing template by binding, and still runs the others', async () => {
    await resources.create('WorkflowEventBinding', [
      binding('a-not-boolean', 'quiet', `  event: {selector: 'payload.message'}\n  submit: {workflowTemplateRef: {name: say}}\n`),
      binding('b-fails', 'quiet', `  event: {selector: 'payload.missing.deeper == 1'}\n  submit: {workflowTemplateRef: {name: say}}\n`),
      binding('c-no-template', 'quiet', `  event: {selector: 'true'}\n  submit: {workflowTemplateRef: {name: absent}}\n`),
      binding('d-endless', 'quiet', `  event: {selector: 'len(map(1..100000000, # * 2)) > 0'}\n  submit: {workflowTemplateRef: {name: say}}\n`),
      binding('e-good', 'quiet', `  event: {selector: 'true'}\n  submit: {workflowTemplateRef: {name: say}, arguments: {parameters: [{name: message, valueFrom: {event: '"x"'}}]}}\n`),
      binding('f-no-submit', 'quiet', `  event: {selector: 'true'}\n`),
    ]);
    const outcomes = await dispatcher.dispatch(event('quiet', { message: 'hi' }));
    const errors = Object.fromEntries(outcomes.flatMap((o) => ('error' in o ? [[o.binding, o.error]] : [])));
    expect(errors['a-not-boolean']).toBe('WorkflowEventBinding "a-not-boolean" in namespace "quiet": selector did not evaluate to a boolean (got string "hi")');
    expect(errors['b-fails']).toMatch(/^WorkflowEventBinding "b-fails" in namespace "quiet": expression "payload.missing.deeper == 1" : cannot fetch deeper from nil/);
    expect(errors['c-no-template']).toBe('WorkflowEventBinding "c-no-template" in namespace "quiet": WorkflowTemplate "absent" not found in namespace "quiet"');
    expect(errors['d-endless']).toMatch(/exceeded 1000000 steps/);
    expect(Object.keys(errors)).toHaveLength(4);
    expect((await submitted(outcomes, 'e-good')).metadata.labels).toMatchObject({ 'workflows.argoproj.io/workflow-event-binding': 'e-good' });
    expect(outcomes.find((o) => o.binding === 'f-no-submit')).toEqual({ binding: 'f-no-submit', matched: true });
  });

  it('refuses a label that is not a string, submitting nothing', async () => {
    await resources.apply('WorkflowEventBinding', [
      binding('g-bad-label', 'argo', `  event: {selector: 'true'}\n  submit:\n    workflowTemplateRef: {name: say}\n    metadata: {labels: {n: '1 + 1'}}\n`),
    ]);
    const before = (await client.listWorkflows('argo')).length;
    const outcomes = await dispatcher.dispatch(event('argo', {}));
    expect(outcomes.find((o) => o.binding === 'g-bad-label')).toEqual({
      binding: 'g-bad-label',
      error: 'WorkflowEventBinding "g-bad-label" in namespace "argo": label "n" expression must evaluate to a string, not number 2',
    });
    expect(await client.listWorkflows('argo')).toHaveLength(before);
  });
});

describe('bindingExpressionIssues', () => {
  it('names the field of each expression that does not parse', () => {
    const issues = bindingExpressionIssues(
      binding(
        'bad',
        'argo',
        `  event: {selector: 'payload.a =='}
  submit:
    workflowTemplateRef: {name: say}
    metadata: {labels: {ok: '"x"', broken: '(('}}
    arguments: {parameters: [{name: p, valueFrom: {event: 'payload.a'}}, {name: q, valueFrom: {event: 'nosuchfn('}}]}
`,
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['spec.event.selector', 'spec.submit.metadata.labels.broken', 'spec.submit.arguments.parameters[1].valueFrom.event']);
  });
});
