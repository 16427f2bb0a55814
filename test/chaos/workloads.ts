// The workflows a chaos run submits: Argo YAML of the shapes whose recovery matters (steps, a DAG, a
// retry with backoff, a semaphore, a mutex, a fan-out). Every container appends a start and an end line
// to the run record in a hostPath folder the workers share, naming the workflow, the pod, the worker
// (its HOME, which the local executor passes on) and the time in ms; the report counts runs from it.
import type { Random } from './random.js';

export const KINDS = ['steps', 'dag', 'retry', 'semaphore', 'mutex', 'fanout'] as const;
export type WorkloadKind = (typeof KINDS)[number];

/** The ConfigMap key the semaphore workflows share, and its limit. */
export const SEMAPHORE = { configMap: 'chaos-limits', key: 'workers', limit: 2 } as const;

export const WITNESS_MOUNT = '/witness';
export const RUNS_FILE = 'runs';

export interface Workload {
  name: string;
  kind: WorkloadKind;
  yaml: string;
}

export function semaphoreConfigMap(): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: ${SEMAPHORE.configMap}}
data: {${SEMAPHORE.key}: "${SEMAPHORE.limit}"}
`;
}

/** A run's line: `start|end <workflow> <pod> <worker HOME> <ms>`. */
function record(event: 'start' | 'end'): string {
  return `echo "${event} {{workflow.name}} {{pod.name}} $HOME $(date +%s%3N)" >> ${WITNESS_MOUNT}/${RUNS_FILE}`;
}

function workTemplate(sleepSeconds: string, name = 'work', extra = ''): string {
  return `  - name: ${name}
${extra}    container:
      image: busybox
      command: [sh, -c, '${record('start')}; sleep ${sleepSeconds}; ${record('end')}']
      volumeMounts: [{name: witness, mountPath: ${WITNESS_MOUNT}}]`;
}

/** Fails its first attempt (a marker file per workflow says it was tried), succeeds the next. */
function flakyTemplate(sleepSeconds: string): string {
  const marker = `${WITNESS_MOUNT}/flaky-{{workflow.name}}`;
  return `  - name: flaky
    retryStrategy: {limit: "3", retryPolicy: Always, backoff: {duration: "1"}}
    container:
      image: busybox
      command: [sh, -c, '${record('start')}; sleep ${sleepSeconds}; if [ ! -e ${marker} ]; then touch ${marker}; ${record('end')}; exit 1; fi; ${record('end')}']
      volumeMounts: [{name: witness, mountPath: ${WITNESS_MOUNT}}]`;
}

const HELD = `    synchronization:
      semaphores: [{configMapKeyRef: {name: ${SEMAPHORE.configMap}, key: ${SEMAPHORE.key}}}]
`;

function body(kind: WorkloadKind, random: Random): { spec?: string; templates: string } {
  switch (kind) {
    case 'steps':
      return {
        templates: `  - name: main
    steps:
    - - {name: a, template: work}
    - - {name: b1, template: work}
      - {name: b2, template: work}
    - - {name: c, template: work}`,
      };
    case 'dag':
      return {
        templates: `  - name: main
    dag:
      tasks:
      - {name: a, template: work}
      - {name: b, template: work, dependencies: [a]}
      - {name: c, template: work, dependencies: [a]}
      - {name: d, template: work, depends: "b && c"}`,
      };
    case 'retry':
      return {
        templates: `  - name: main
    steps:
    - - {name: first, template: work}
    - - {name: flaky, template: flaky}
    - - {name: last, template: work}`,
      };
    case 'semaphore':
      return {
        templates: `  - name: main
    steps:
    - - name: held
        template: held
        withSequence: {count: "${random.int(2, 4)}"}`,
      };
    case 'mutex':
      return {
        spec: `  synchronization:
    mutexes: [{name: chaos-mutex}]`,
        templates: `  - name: main
    steps:
    - - {name: one, template: work}
    - - {name: two, template: work}`,
      };
    case 'fanout':
      return {
        templates: `  - name: main
    dag:
      tasks:
      - {name: before, template: work}
      - name: items
        template: work
        dependencies: [before]
        withSequence: {count: "${random.int(10, 40)}"}
      - {name: after, template: work, dependencies: [items]}`,
      };
  }
}

export function workload(name: string, kind: WorkloadKind, witnessDir: string, random: Random): Workload {
  const sleep = (random.int(1, 12) / 10).toFixed(1);
  const { spec, templates } = body(kind, random);
  const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
${spec ? `${spec}\n` : ''}  volumes: [{name: witness, hostPath: {path: ${witnessDir}}}]
  templates:
${templates}
${workTemplate(sleep)}
${kind === 'retry' ? `${flakyTemplate(sleep)}\n` : ''}${kind === 'semaphore' ? `${workTemplate(sleep, 'held', HELD)}\n` : ''}`;
  return { name, kind, yaml };
}
