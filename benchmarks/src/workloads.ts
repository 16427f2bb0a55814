// The workflows the benchmarks run, generated as the Argo YAML a user would write, with every task's
// dependencies kept so hop latency can be measured against them.

export interface Workload {
  yaml: string;
  nodes: number;
  /** Task name → names of the tasks it depends on. */
  dependencies: Map<string, string[]>;
}

const NOOP_TEMPLATE = `  - name: noop
    container: {image: busybox, command: ["true"]}`;

export function dagWorkload(name: string, tasks: { name: string; deps: string[] }[]): Workload {
  const lines = tasks.map((t) =>
    t.deps.length === 0 ? `      - {name: ${t.name}, template: noop}` : `      - {name: ${t.name}, template: noop, dependencies: [${t.deps.join(', ')}]}`,
  );
  const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: ${name}-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${lines.join('\n')}
${NOOP_TEMPLATE}
`;
  return { yaml, nodes: tasks.length, dependencies: new Map(tasks.map((t) => [t.name, t.deps])) };
}

export const wide = (n: number) => dagWorkload('wide', Array.from({ length: n }, (_, i) => ({ name: `t${i}`, deps: [] })));

export const chain = (n: number) => dagWorkload('chain', Array.from({ length: n }, (_, i) => ({ name: `t${i}`, deps: i === 0 ? [] : [`t${i - 1}`] })));

/** `layers` × `width` tasks, each depending on two tasks of the layer before. */
export function lattice(layers: number, width: number): Workload {
  const tasks: { name: string; deps: string[] }[] = [];
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      const deps = l === 0 ? [] : [`l${l - 1}x${w}`, `l${l - 1}x${(w + 1) % width}`];
      tasks.push({ name: `l${l}x${w}`, deps });
    }
  }
  return dagWorkload('lattice', tasks);
}

/** One small workflow of `many`: 1 → fan-out of 8 → 1. */
export function fanOutIn(): Workload {
  const middle = Array.from({ length: 8 }, (_, i) => ({ name: `m${i}`, deps: ['start'] }));
  return dagWorkload('many', [{ name: 'start', deps: [] }, ...middle, { name: 'end', deps: middle.map((m) => m.name) }]);
}

/** One step fanning out `withItems` over `n` items. */
export function loop(n: number): Workload {
  const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: loop-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: fan
        template: noop
        withItems: [${Array.from({ length: n }, (_, i) => i).join(', ')}]
${NOOP_TEMPLATE}
`;
  return { yaml, nodes: n, dependencies: new Map() };
}
