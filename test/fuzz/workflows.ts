// Generators of Argo Workflows for the fuzz properties: a plan of small numbers and strings that fast-check
// shrinks, built into a workflow whose references mostly hold (so most cases get past validation and
// into the engine): steps and DAGs calling container, script and suspend templates and each other,
// parameters, loops, `when`, `depends`, retries, locks and expressions. Mutations then break it: wrong
// types, unknown fields, removed fields, cycles, huge strings, and YAML-level damage.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { expression } from './expressions.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const RESULTS = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'];

/**
 * What a call may refer to: earlier steps or tasks. `tame` leaves out what validation refuses for sure
 * (references to what is not there, broken syntax), so that most tame workflows reach the engine.
 */
interface Context {
  steps: string[];
  tasks: string[];
  tame: boolean;
}

/** A parameter value or argument: literals and every kind of tag a workflow writes. */
function value(names: Context): fc.Arbitrary<string> {
  const ref = (list: string[]) => (list.length === 0 ? fc.constant('none') : fc.constantFrom(...list));
  if (names.tame) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 12 }).filter((v) => !v.includes('{{')) },
      { weight: 2, arbitrary: fc.constantFrom('{{workflow.name}}', '{{workflow.parameters.x}}', '{{workflow.uid}}') },
      { weight: 1, arbitrary: expression().map((e) => `{{=${e}}}`) },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom('{{workflow.name}}', '{{workflow.parameters.x}}', '{{workflow.uid}}', '{{item}}', '{{item.a}}', '{{inputs.parameters.p}}', '{{pod.name}}', '{{retries}}', '{{workflow.status}}', '{{nope.nothing}}') },
    { weight: 2, arbitrary: ref(names.steps).map((s) => `{{steps.${s}.outputs.result}}`) },
    { weight: 2, arbitrary: ref(names.tasks).map((t) => `{{tasks.${t}.outputs.parameters.o}}`) },
    { weight: 2, arbitrary: expression().map((e) => `{{=${e}}}`) },
    { weight: 1, arbitrary: fc.constantFrom('{{', '}}', '{{=', '{{ }}', '{{=}}', '{{steps.}}', '{{=sprig.', '{{=1/0}}') },
  );
}

function when(names: Context): fc.Arbitrary<string> {
  if (names.tame) {
    return fc.oneof(fc.constantFrom('true', 'false', '{{workflow.parameters.x}} == heads', '{{workflow.parameters.n}} > 1'), expression().map((e) => `{{=${e}}}`));
  }
  return fc.oneof(
    value(names).map((v) => `${v} == heads`),
    fc.tuple(value(names), fc.constantFrom('==', '!=', '>', '<', '=~', '&&', '||'), fc.string({ maxLength: 6 })).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.constantFrom('true', 'false', '1 == 1', '"a" == "a"', '(', 'heads ==', '{{workflow.status}} == Succeeded'),
    expression().map((e) => `{{=${e}}}`),
  );
}

function loop(names: Context): fc.Arbitrary<Obj> {
  if (names.tame) {
    return fc.oneof(
      fc.array(fc.oneof(fc.string({ maxLength: 5 }).filter((v) => !v.includes('{{')), fc.integer()), { maxLength: 4 }).map((items) => ({ withItems: items as Json[] })),
      fc.nat(4).map((count) => ({ withSequence: { count: String(count) } })),
      fc.constantFrom('["a","b"]', '[1,2,3]', '[]').map((p) => ({ withParam: p })),
    );
  }
  return fc.oneof(
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.record({ a: fc.string({ maxLength: 3 }) })), { maxLength: 4 }).map((items) => ({ withItems: items as Json[] })),
    fc.record({ count: fc.oneof(fc.nat(4).map(String), fc.constantFrom('x', '-1', '{{workflow.parameters.n}}')) }).map((s) => ({ withSequence: s })),
    fc.record({ start: fc.nat(3).map(String), end: fc.nat(4).map(String) }).map((s) => ({ withSequence: s })),
    fc.constantFrom('["a","b"]', '[1,2,3]', '[]', 'not json', '[{"a":"x"}]', '{"a":1}').map((p) => ({ withParam: p })),
    value(names).map((p) => ({ withParam: p })),
  );
}

function args(names: Context): fc.Arbitrary<Obj | undefined> {
  return fc.option(fc.array(value(names), { maxLength: names.tame ? 1 : 2 }).map((vs) => ({ parameters: vs.map((v, i) => ({ name: i === 0 ? 'p' : `q${i}`, value: v })) })), { nil: undefined });
}

/** One call (a step or a task) of a template; `targets` are the names it may call. */
function call(name: string, targets: string[], names: Context): fc.Arbitrary<Obj> {
  return fc
    .record({
      template: names.tame ? fc.constantFrom(...targets) : fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...targets) }, { weight: 1, arbitrary: fc.constantFrom('missing', '') }),
      arguments: args(names),
      when: fc.option(when(names), { nil: undefined, freq: 4 }),
      loop: fc.option(loop(names), { nil: undefined, freq: 3 }),
      continueOn: fc.option(fc.record({ failed: fc.boolean() }), { nil: undefined, freq: 5 }),
    })
    .map(({ template, arguments: a, when: w, loop: l, continueOn }) => clean({ name, template, arguments: a, when: w, ...l, continueOn }));
}

function steps(targets: string[], tame: boolean): fc.Arbitrary<Obj> {
  return fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }).chain((sizes) => {
    const groups: fc.Arbitrary<Obj>[][] = [];
    const seen: string[] = [];
    sizes.forEach((size, g) => {
      const group: fc.Arbitrary<Obj>[] = [];
      const before = [...seen];
      for (let i = 0; i < size; i++) {
        const name = `s${g}${i}`;
        group.push(call(name, targets, { steps: before, tasks: [], tame }));
        seen.push(name);
      }
      groups.push(group);
    });
    return fc.tuple(...groups.map((group) => fc.tuple(...group))).map((built) => ({ steps: built as unknown as Json[] }));
  });
}

function dag(targets: string[], tame: boolean): fc.Arbitrary<Obj> {
  return fc.integer({ min: 1, max: 6 }).chain((size) => {
    const tasks = Array.from({ length: size }, (_, i) => {
      const name = `t${i}`;
      const earlier = Array.from({ length: i }, (_, k) => `t${k}`);
      const deps = earlier.length === 0
        ? fc.constant({})
        : fc.oneof(
            fc.subarray(earlier).map((d) => (d.length ? { dependencies: d } : {})),
            fc.subarray(earlier, { minLength: 1 }).chain((d) =>
              fc.array(fc.constantFrom('', ...RESULTS.map((r) => `.${r}`)), { minLength: d.length, maxLength: d.length }).chain((results) =>
                fc.array(fc.constantFrom(' && ', ' || '), { minLength: d.length, maxLength: d.length }).map((ops) => ({
                  depends: d.map((t, k) => `${k > 0 ? ops[k] : ''}${k === 1 && ops[k] === ' || ' ? '!' : ''}${t}${results[k]}`).join(''),
                })),
              ),
            ),
            // A cycle or a dangling name, which validation must name.
            ...(tame ? [] : [fc.constantFrom({ dependencies: [name] }, { dependencies: ['ghost'] }, { depends: `${name} && t0` }, { depends: '(t0 ||' })]),
          );
      return fc.tuple(call(name, targets, { steps: [], tasks: earlier, tame }), deps).map(([c, d]) => ({ ...c, ...d }));
    });
    return fc.tuple(...tasks).map((built) => ({ dag: { tasks: built as unknown as Json[] } }));
  });
}

function leaf(name: string, tame: boolean): fc.Arbitrary<Obj> {
  const body = fc.oneof(
    { weight: 5, arbitrary: fc.constant({ container: { image: 'busybox', command: ['sh', '-c', 'echo {{inputs.parameters.p}}'] } }) },
    { weight: 2, arbitrary: fc.constant({ script: { image: 'python:3.12', command: ['python'], source: 'print("{{inputs.parameters.p}}")' } }) },
    { weight: 1, arbitrary: fc.constantFrom(...(tame ? ['1', '0'] : ['1', '0', '5s', 'x'])).map((duration) => ({ suspend: { duration } })) },
  );
  return fc
    .record({
      body,
      input: tame ? fc.option(fc.string({ maxLength: 5 }).filter((v) => !v.includes('{{')), { nil: null }) : fc.option(fc.option(fc.string({ maxLength: 5 }), { nil: undefined }), { nil: null }),
      output: fc.boolean(),
      retry: fc.option(
        fc.record({
          limit: fc.oneof(fc.nat(3), fc.nat(3).map(String)),
          retryPolicy: fc.constantFrom('Always', 'OnFailure', 'OnError', 'OnTransientError'),
          backoff: fc.option(fc.record({ duration: fc.constantFrom('1', '2s', '1m'), factor: fc.constantFrom(1, 2, '2') }), { nil: undefined }),
        }),
        { nil: undefined, freq: 3 },
      ),
      lock: fc.option(fc.constant<Json>({ mutexes: [{ name: 'm' }] }), { nil: undefined, freq: 6 }),
      deadline: fc.option(fc.constantFrom<Json>(...(tame ? [5, '10'] : [5, '10', 'x'])), { nil: undefined, freq: 8 }),
    })
    .map(({ body, input, output, retry, lock, deadline }) =>
      clean({
        name,
        inputs: input === null ? undefined : { parameters: [clean({ name: 'p', value: input })] },
        outputs: output ? { parameters: [{ name: 'o', valueFrom: { path: '/tmp/o' } }] } : undefined,
        retryStrategy: retry === undefined ? undefined : clean(retry as Obj),
        synchronization: lock,
        activeDeadlineSeconds: deadline,
        ...body,
      }),
    );
}

/**
 * A workflow as a plain object: `main` (steps or DAG), up to two nested bodies, up to four leaves.
 * `tame`: only what validation should accept, mostly (see Context), for the engine's property.
 */
export function workflowObject(tame = false): fc.Arbitrary<Obj> {
  return fc.record({ leaves: fc.integer({ min: 1, max: 4 }), subs: fc.integer({ min: 0, max: 2 }) }).chain(({ leaves, subs }) => {
    const leafNames = Array.from({ length: leaves }, (_, i) => `leaf${i}`);
    const subNames = Array.from({ length: subs }, (_, i) => `sub${i}`);
    // A body calls leaves and the bodies after it, so calls never go round in a circle.
    const bodies = ['main', ...subNames].map((name, i) =>
      fc.boolean().chain((isDag) => (isDag ? dag([...leafNames, ...subNames.slice(i)], tame) : steps([...leafNames, ...subNames.slice(i)], tame))).map((b) => ({ name, ...b })),
    );
    const parameters = fc.record({ x: fc.string({ maxLength: 6 }), n: fc.nat(4).map(String) });
    return fc
      .record({
        bodies: fc.tuple(...bodies),
        leaves: fc.tuple(...leafNames.map((name) => leaf(name, tame))),
        parameters: tame ? parameters : fc.option(parameters, { nil: undefined }),
        parallelism: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 5 }),
        lock: fc.option(fc.constant<Json>({ mutexes: [{ name: 'wf' }] }), { nil: undefined, freq: 8 }),
      })
      .map(({ bodies: b, leaves: l, parameters, parallelism, lock }) => ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { generateName: 'fuzz-' },
        spec: clean({
          entrypoint: 'main',
          arguments: parameters && { parameters: [{ name: 'x', value: parameters.x }, { name: 'n', value: parameters.n }] },
          parallelism,
          synchronization: lock,
          templates: [...b, ...l] as Json[],
        }),
      }));
  });
}

/** Drops undefined fields, so the YAML has no `null`s the generator did not mean. */
function clean(object: Record<string, unknown>): Obj {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Obj;
}

/** Every path to a value inside `value`, objects and arrays included. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

const WRONG: Json[] = [null, true, 0, -1, 1.5, 1e21, '', 'x', [], {}, [null], { a: { b: [] } }, '{{', '{{=', '0x', 'NaN', '__proto__'];

export interface Mutation {
  pick: number;
  kind: 'wrong-type' | 'remove' | 'unknown-field' | 'huge-string' | 'proto-key' | 'duplicate-template' | 'self-call';
  wrong: Json;
  hugeLength: number;
}

/** One change at a random place of a workflow object. */
export const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('wrong-type', 'remove', 'unknown-field', 'huge-string', 'proto-key', 'duplicate-template', 'self-call'),
  wrong: fc.constantFrom(...WRONG),
  hugeLength: fc.constantFrom(1_000, 70_000, 300_000),
});

export function mutate(original: Obj, m: Mutation): Obj {
  const object = structuredClone(original) as Obj;
  const all = paths(object).filter((p) => p.length > 0);
  const path = all[m.pick % all.length]!;
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, object) as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  const templates = (object.spec as Obj).templates as Obj[];
  switch (m.kind) {
    case 'wrong-type':
      parent[key] = m.wrong;
      break;
    case 'remove':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'unknown-field':
      if (parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`unknown${m.pick % 7}`] = m.wrong;
      else parent[key] = { unknownField: m.wrong };
      break;
    case 'huge-string':
      parent[key] = 'x{'.repeat(m.hugeLength / 2);
      break;
    case 'proto-key':
      // A key named like Object.prototype's members, where a lookup by name could find the prototype.
      if (!Array.isArray(parent)) Object.defineProperty(parent, ['__proto__', 'constructor', 'toString', 'hasOwnProperty'][m.pick % 4]!, { value: m.wrong, enumerable: true, writable: true, configurable: true });
      break;
    case 'duplicate-template':
      templates.push(structuredClone(templates[m.pick % templates.length]!));
      break;
    case 'self-call': {
      // A template that calls itself (Argo allows recursion; the engine must bound it).
      const main = templates[0]!;
      if (main.steps) (main.steps as Obj[][])[0]![0]!.template = 'main';
      else ((main.dag as Obj).tasks as Obj[])[0]!.template = 'main';
      break;
    }
  }
  return object;
}

export function toYaml(object: Json): string {
  return stringify(object, { lineWidth: 0 });
}

/** YAML-level damage: text no object generator would write. Data, so a counterexample prints readably. */
export type Damage =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'second-spec' | 'two-documents' | 'tabs' | 'billion-laughs' | 'merge-into-itself' }
  | { kind: 'deep-nesting'; depth: number };

export const yamlDamage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom('\t', ':', '- ', '{', '[', '"', "'", '&a ', '*a', '!!binary ', '? ', '---\n', '\n  ', '#', '%YAML 1.2\n', '\u0000', '\uFEFF'), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constantFrom<Damage>({ kind: 'second-spec' }, { kind: 'two-documents' }, { kind: 'tabs' }, { kind: 'billion-laughs' }, { kind: 'merge-into-itself' }),
  fc.record({ kind: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 100, max: 10_000 }) }),
);

export function damage(text: string, d: Damage): string {
  switch (d.kind) {
    case 'insert': {
      const at = d.at % (text.length + 1);
      return text.slice(0, at) + d.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, d.at % (text.length + 1));
    case 'second-spec':
      return `${text}\nspec: {}\n`;
    case 'two-documents':
      return `${text}---\n${text}`;
    case 'tabs':
      return text.replace(/^( +)/gm, (spaces) => '\t'.repeat(spaces.length / 2));
    case 'billion-laughs':
      return billionLaughs();
    case 'merge-into-itself':
      return 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: &m {name: a, <<: *m}\nspec: {entrypoint: main}\n';
    case 'deep-nesting':
      return `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: deep}\nspec: {entrypoint: main, templates: ${'['.repeat(d.depth)}${']'.repeat(d.depth)}}\n`;
  }
}

function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  return `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: lol}\nx:\n${lines.map((l) => `  ${l}`).join('\n')}\nspec: {entrypoint: main, templates: [{name: main, container: {image: busybox}}]}\n`;
}
