// Decides how a finished (or timed-out) workflow run compares with what Argo says the example does:
// Succeeded unless the manifest says otherwise, plus any outputs the manifest expects. An example
// Argo labels `no-test` is reported as skipped with the phase it reached, unless the manifest gives
// the phase to expect.
import type { NodeStatus, Parameter, WorkflowStatus } from '@regatta/spec';
import type { Expectations, NodeExpectation, PhaseMatcher, TextMatcher } from './manifest.js';
import type { Outcome } from './outcome.js';

export interface WorkflowRun {
  name: string;
  /** Set when the name was generated; see stableText. */
  generateName?: string;
  status: WorkflowStatus;
  /** Set when the run was stopped for taking longer than this. */
  timedOutAfterS?: number;
}

export function judge(run: WorkflowRun, expect: Expectations | undefined, noTest: string | undefined): Outcome {
  const nodes = Object.values(run.status.nodes ?? {});
  const stable = stableText(run, nodes);
  const reached = run.timedOutAfterS === undefined ? run.status.phase || 'Pending' : `still ${run.status.phase || 'Pending'} after ${run.timedOutAfterS} s`;
  if (noTest !== undefined && expect?.phase === undefined) {
    // Not held to Succeeded, but a run that ended otherwise still says why (a command this host lacks).
    const why = run.timedOutAfterS === undefined && run.status.phase !== 'Succeeded' ? failureDetails(run.status, nodes) : [];
    return { class: 'skipped', reason: stable([`no-test label (${noTest}): ${reached}`, ...why].join('; ')) };
  }
  if (run.timedOutAfterS !== undefined) {
    const running = nodes.filter((node) => node.phase === 'Running' && !node.children?.length).map((node) => `"${node.displayName}"`);
    return { class: 'fail', reason: `timed out after ${run.timedOutAfterS} s${running.length ? ` (running: ${running.join(', ')})` : ''}` };
  }
  const expectedPhase = expect?.phase ?? 'Succeeded';
  if (!matchesPhase(expectedPhase, run.status.phase)) {
    return { class: 'fail', reason: stable([`${reached}, expected ${describePhase(expectedPhase)}`, ...failureDetails(run.status, nodes)].join('; ')) };
  }
  const problems = [
    ...checkText('status.message', expect?.message, run.status.message),
    ...checkParameters('outputs', expect?.outputs?.parameters, run.status.outputs?.parameters),
    ...(expect?.nodes ?? []).flatMap((expected) => checkNodes(expected, nodes, stable)),
  ];
  return problems.length === 0 ? { class: 'pass' } : { class: 'fail', reason: stable(problems.join('; ')) };
}

/**
 * Messages name nodes by id (`<workflow>-<hash>`) and the workflow by its generated name, both new on
 * every run: ids become node names and the generated name `<generateName>*`, so that a reason stays
 * the same from run to run and the root node can be expected by its display name.
 */
function stableText(run: WorkflowRun, nodes: NodeStatus[]): (text: string) => string {
  const ids = nodes.filter((node) => node.id !== run.name && node.id !== node.name).sort((a, b) => b.id.length - a.id.length);
  return (text) => {
    let stable = text;
    for (const node of ids) stable = stable.replaceAll(node.id, node.name);
    return run.generateName ? stable.replaceAll(run.name, `${run.generateName}*`) : stable;
  };
}

function checkNodes(expected: NodeExpectation, nodes: NodeStatus[], stable: (text: string) => string): string[] {
  const matching = nodes.filter((node) => stable(node.displayName) === expected.displayName);
  if (matching.length === 0) return [`no node "${expected.displayName}"`];
  return matching.flatMap((node) => {
    const at = `node "${expected.displayName}"`;
    const phase = expected.phase !== undefined && !matchesPhase(expected.phase, node.phase) ? [`${at} is ${node.phase}, expected ${describePhase(expected.phase)}`] : [];
    return [
      ...phase,
      ...checkText(`${at} result`, expected.result, node.outputs?.result),
      ...checkText(`${at} message`, expected.message, node.message),
      ...checkParameters(at, expected.parameters, node.outputs?.parameters),
    ];
  });
}

function checkParameters(at: string, expected: Record<string, TextMatcher> | undefined, actual: Parameter[] | undefined): string[] {
  return Object.entries(expected ?? {}).flatMap(([name, matcher]) =>
    checkText(`${at} parameter "${name}"`, matcher, actual?.find((parameter) => parameter.name === name)?.value),
  );
}

function checkText(what: string, matcher: TextMatcher | undefined, actual: string | undefined): string[] {
  if (matcher === undefined || (actual !== undefined && matchesText(matcher, actual))) return [];
  return [`${what} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, expected ${describeText(matcher)}`];
}

export function matchesText(matcher: TextMatcher, actual: string): boolean {
  if (typeof matcher === 'string') return actual === matcher;
  if ('equals' in matcher) return actual === matcher.equals;
  if ('contains' in matcher) return actual.includes(matcher.contains);
  if ('matches' in matcher) return new RegExp(matcher.matches).test(actual);
  return matcher.oneOf.includes(actual);
}

function describeText(matcher: TextMatcher): string {
  if (typeof matcher === 'string') return JSON.stringify(matcher);
  if ('equals' in matcher) return JSON.stringify(matcher.equals);
  if ('contains' in matcher) return `to contain ${JSON.stringify(matcher.contains)}`;
  if ('matches' in matcher) return `to match /${matcher.matches}/`;
  return `one of ${matcher.oneOf.map((item) => JSON.stringify(item)).join(', ')}`;
}

function matchesPhase(expected: PhaseMatcher, actual: string): boolean {
  return (Array.isArray(expected) ? expected : [expected]).includes(actual);
}

function describePhase(expected: PhaseMatcher): string {
  return Array.isArray(expected) ? expected.join(' or ') : expected;
}

/** The workflow's message and the node where the failure started. */
function failureDetails(status: WorkflowStatus, nodes: NodeStatus[]): string[] {
  const failed = firstFailedNode(nodes);
  return [
    ...(status.message && status.message !== failed?.message ? [status.message] : []),
    ...(failed ? [`node "${failed.displayName}": ${failed.message ?? `${failed.phase} without a message`}`] : []),
  ];
}

/** The failed leaf that finished first: where the failure started, not the parents it spread to. */
function firstFailedNode(nodes: NodeStatus[]): NodeStatus | undefined {
  const failed = nodes.filter((node) => node.phase === 'Failed' || node.phase === 'Error');
  const leaves = failed.filter((node) => !node.children?.length);
  // Times have second precision: the name breaks ties, so that the same run reads the same way.
  const byTime = (a: NodeStatus, b: NodeStatus) => (a.finishedAt ?? '~').localeCompare(b.finishedAt ?? '~') || a.name.localeCompare(b.name);
  return (leaves.length > 0 ? leaves : failed).sort(byTime)[0];
}
