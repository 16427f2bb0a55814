import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const lint = (yaml: string) => lintWorkflow(yaml, 'wf.yaml').map(formatIssue);

/** A workflow whose entrypoint is a DAG with the given tasks; the task lines start at line 10. */
const dag = (tasks: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:${extra}
      tasks:
${tasks}  - {name: work, container: {image: busybox, command: ["true"]}}
`;

describe('DAG dependencies', () => {
  it('load a diamond written with dependencies and with depends', () => {
    const workflow = loadWorkflow(
      dag(`      - {name: A, template: work}
      - {name: B, template: work, dependencies: [A]}
      - {name: C, template: work, depends: A.Succeeded}
      - {name: D, template: work, depends: "(B || C.Failed) && !A.Errored"}
`),
      'wf.yaml',
    );
    expect(workflow.spec.templates?.[0]?.dag?.tasks.map((t) => t.name)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('name tasks of the same dag in dependencies and depends', () => {
    expect(lint(dag(`      - {name: A, template: work, dependencies: [B, ghost]}
      - {name: B, template: work, depends: "A.Succeeded && phantom.Failed"}
`))).toEqual([
      'wf.yaml:10:9: spec.templates[0].dag.tasks[0]: dependency cycle: A → B → A',
      'wf.yaml:10:53: spec.templates[0].dag.tasks[0].dependencies[1]: task "ghost" not found in this dag',
      'wf.yaml:11:44: spec.templates[0].dag.tasks[1].depends: task "phantom" in depends not found in this dag',
    ]);
  });

  it('ask depends only for results a task can have', () => {
    expect(lint(dag(`      - {name: A, template: work}
      - {name: B, template: work, depends: A.Succeded || A.AnySucceeded}
`))).toEqual([
      'wf.yaml:11:44: spec.templates[0].dag.tasks[1].depends: "A.Succeded": Succeded is not a task result; use one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed',
    ]);
  });

  it('refuse a task with both dependencies and depends', () => {
    expect(lint(dag(`      - {name: A, template: work}
      - {name: B, template: work, dependencies: [A], depends: A}
`))).toEqual(['wf.yaml:11:9: spec.templates[0].dag.tasks[1]: task "B" has both dependencies and depends; keep one']);
  });

  it('spell out a cycle, from the first task on it', () => {
    expect(lint(dag(`      - {name: A, template: work}
      - {name: B, template: work, depends: D}
      - {name: C, template: work, depends: B && A}
      - {name: D, template: work, dependencies: [C]}
`))).toEqual(['wf.yaml:11:9: spec.templates[0].dag.tasks[1]: dependency cycle: B → D → C → B']);
  });

  it('refuse a task that depends on itself', () => {
    expect(lint(dag('      - {name: A, template: work, depends: A.Succeeded}\n'))).toEqual([
      'wf.yaml:10:9: spec.templates[0].dag.tasks[0]: dependency cycle: A → A',
    ]);
  });

  it('name tasks of the same dag in target', () => {
    expect(lint(dag('      - {name: A, template: work}\n      - {name: B, template: work}\n', '\n      target: A nowhere'))).toEqual([
      'wf.yaml:9:15: spec.templates[0].dag.target: target task "nowhere" not found in this dag',
    ]);
  });
});

describe('a huge depends', () => {
  it('gives one issue per unknown name and per unknown result, however often they are repeated', () => {
    const depends = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? 'ghost' : 'A.Succeded')).join(' || ');
    expect(lint(dag(`      - {name: A, template: work}\n      - {name: B, template: work, depends: "${depends}"}\n`))).toEqual([
      'wf.yaml:11:44: spec.templates[0].dag.tasks[1].depends: "A.Succeded": Succeded is not a task result; use one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed',
      'wf.yaml:11:44: spec.templates[0].dag.tasks[1].depends: task "ghost" in depends not found in this dag',
    ]);
  });

  it('stops at 100 issues in a document and counts the rest in a last one', () => {
    const tasks = Array.from({ length: 150 }, (_, i) => `      - {name: t${i}, template: work, depends: ghost${i}}\n`).join('');
    const issues = lint(dag(tasks));
    expect(issues).toHaveLength(101);
    expect(issues[0]).toBe('wf.yaml:10:45: spec.templates[0].dag.tasks[0].depends: task "ghost0" in depends not found in this dag');
    expect(issues[99]).toContain('task "ghost99" in depends not found');
    expect(issues[100]).toBe('wf.yaml:1:1: and 50 more issues, not shown (at most 100 are)');
  });
});
