import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

describe('expressions in workflows', () => {
  it('evaluates {{=…}} tags in arguments, loops and pods, with Argo functions', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: count, value: "3"}]}
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - name: use
        template: show
        withItems: [{n: 1}, {n: 2}]
        arguments:
          parameters:
          - {name: msg, value: "{{=asInt(workflow.parameters.count) * asInt(item.n)}}-{{=sprig.upper(steps.gen.outputs.result)}}"}
  - name: gen
    container: {image: busybox, command: [echo, hi]}
  - name: show
    inputs: {parameters: [{name: msg}]}
    container: {image: busybox, command: [echo, "{{=inputs.parameters.msg + '!'}}"]}
`).submit();
    run.finish('gen', 'Succeeded', { result: 'hi' });
    expect(run.job('use(0:n:1)').container.command).toEqual(['echo', '3-HI!']);
    expect(run.job('use(1:n:2)').container.command).toEqual(['echo', '6-HI!']);
  });

  it("evaluates tags in a template's own input values over the workflow's names", () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-input-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: weather, value: '{"temps": [34, 27, 15]}'}]}
  templates:
  - name: main
    inputs:
      parameters:
      - name: week
        value: "{{=toJson({max: sprig.max(jsonpath(workflow.parameters.weather, '$.temps')[0], 40)})}}"
    container: {image: busybox, command: [echo, "{{=jsonpath(inputs.parameters.week, '$.max')}}"]}
`).submit();
    expect(run.job('wf').container.command).toEqual(['echo', '40']);
  });

  it('fails a pod whose expression cannot be evaluated, naming it', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-bad-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [echo, "{{=asInt('x')}}"]}
`).submit();
    expect(run.node('wf')).toMatchObject({ phase: 'Error' });
    expect(run.node('wf').message).toMatch(/^failed to evaluate expression: expression "asInt\('x'\)"/);
  });

  it('chooses conditional outputs by valueFrom.expression', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cond-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flip-coin, template: c}
    - - {name: heads, template: c, when: "{{steps.flip-coin.outputs.result}} == heads"}
      - {name: tails, template: c, when: "{{steps.flip-coin.outputs.result}} == tails"}
    outputs:
      parameters:
      - name: stepresult
        valueFrom:
          expression: "steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.result : steps.tails.outputs.result"
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('flip-coin', 'Succeeded', { result: 'tails' }).finish('tails', 'Succeeded', { result: 'it was tails' });
    expect(run.node('wf').outputs?.parameters).toEqual([{ name: 'stepresult', value: 'it was tails' }]);
  });

  it('retries while retryStrategy.expression holds over lastRetry', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-expr-}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: "10", expression: "asInt(lastRetry.exitCode) > 1"}
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('wf(0)', 'Failed', { exitCode: '2' });
    expect(run.running()).toEqual(['wf(1)']);
    run.finish('wf(1)', 'Failed', { exitCode: '1' });
    expect(run.node('wf')).toMatchObject({ phase: 'Failed', message: 'retryStrategy.expression evaluated to false' });
  });

  it('runs lifecycle hooks once when their expression first holds, and the workflow waits for them', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hooks-}
spec:
  entrypoint: main
  hooks:
    running: {expression: 'workflow.status == "Running"', template: note}
  templates:
  - name: main
    steps:
    - - name: step-1
        template: c
        hooks:
          started: {expression: 'steps["step-1"].status == "Running"', template: note}
          done: {expression: 'steps["step-1"].status == "Succeeded"', template: note}
  - name: c
    container: {image: busybox, command: ["true"]}
  - name: note
    container: {image: busybox, command: [echo, hook]}
`).submit();
    expect(run.running()).toEqual(['step-1', 'step-1.hooks.started', 'wf.hooks.running']);
    run.finish('step-1.hooks.started').finish('wf.hooks.running').finish('step-1');
    expect(run.running()).toEqual(['step-1.hooks.done']);
    expect(run.state.status.phase).toBe('Running');
    run.finish('step-1.hooks.done');
    expect(run.state.status.phase).toBe('Succeeded');
    expect(run.node('wf[0].step-1.hooks.done').nodeFlag).toEqual({ hooked: true });
  });

  // A backtracking engine spends about a minute on each of these at 30 characters, holding the scheduler.
  it('matches patterns in `when` and `matches` as Go does, without backtracking', () => {
    const run = new Driver(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: patterns-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: s, value: "${'a'.repeat(30)}"}]}
  templates:
  - name: main
    steps:
    - - {name: nested, template: c, when: "{{workflow.parameters.s}} =~ '^(a+)+b$'"}
      - {name: alternation, template: c, when: "{{=workflow.parameters.s matches '^(a|a)*$'}}"}
  - name: c
    container: {image: busybox, command: ["true"]}
`,
    ).submit();
    expect(run.node('wf[0].nested')).toMatchObject({ phase: 'Skipped' });
    expect(run.running()).toEqual(['alternation']);
  });

  describe('a budget shared by all expressions of one event', () => {
    // Each tag takes 900,000 of an evaluation's 1,000,000 steps; twelve together pass the event's 10,000,000.
    const costly = '"{{=len(filter(1..180000, # > 0))}}"';
    const workflow = (tags: number): string => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-budget-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: first, template: costly}
    - - {name: second, template: costly}
  - name: costly
    container: {image: busybox, command: [echo, ${Array(tags).fill(costly).join(', ')}]}
`;

    it('fails the node whose tags together pass it, saying so, instead of charging each tag a full budget', () => {
      const run = new Driver(workflow(12)).submit();
      expect(run.node('wf[0].first')).toMatchObject({ phase: 'Error' });
      expect(run.node('wf[0].first').message).toMatch(/expressions of one event exceeded 10000000 steps/);
      expect(run.state.status.phase).toBe('Failed');
    });

    it('ends in Error a node whose arguments it left unevaluated, rather than run it with the tags as text', () => {
      const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-budget-args-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        template: show
        arguments: {parameters: [{name: x, value: "${Array(12).fill(costly.slice(1, -1)).join(' ')}"}]}
  - name: show
    inputs: {parameters: [{name: x}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.x}}"]}
`).submit();
      expect(run.running()).toEqual([]);
      expect(run.node('wf[0].a')).toMatchObject({ phase: 'Error', message: 'expressions of one event exceeded 10000000 steps' });
    });

    it("is drawn from the workflow's allowance, which a burst of events spends and time refills", () => {
      // Two branches each start eight costly tags (7.2M steps) when their first task ends.
      const dag = (bAfter: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: expr-allowance-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: cheap}
      - {name: b, template: cheap}
      - {name: c, template: cheap}
      - {name: a2, template: costly, depends: a}
      - {name: b2, template: costly, depends: "${bAfter}"}
  - name: cheap
    container: {image: busybox, command: ["true"]}
  - name: costly
    container: {image: busybox, command: [echo, ${Array(8).fill(costly).join(', ')}]}
`;
      // The driver's events are a second apart: after a2 took 7.2M, a second refills 2M, leaving 4.8M.
      const burst = new Driver(dag('b')).submit().finish('a').finish('b');
      expect(burst.running()).toEqual(['a2', 'c']);
      expect(burst.node('wf.b2')).toMatchObject({ phase: 'Error' });
      expect(burst.node('wf.b2').message).toMatch(/expressions of this workflow \(2000000 steps a second, 10000000 at once\) exceeded 4\d{6} steps/);
      // Three seconds on, 8.8M: enough.
      const spaced = new Driver(dag('b && c')).submit().finish('a').finish('a2').finish('b').finish('c');
      expect(spaced.running()).toEqual(['b2']);
    });

    it('is given afresh to each event', () => {
      const run = new Driver(workflow(6)).submit();
      expect(run.job('first').container.command).toEqual(['echo', ...Array(6).fill('180000')]);
      run.finish('first');
      expect(run.job('second').container.command).toEqual(['echo', ...Array(6).fill('180000')]);
    });
  });
});
