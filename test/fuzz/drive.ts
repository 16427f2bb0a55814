// Drives the engine through a whole workflow the way the scheduler and workers would, with choices
// from a seeded generator: nodes finish in any order with any phase and outputs, timers fire, locks
// are granted, events are delivered twice, the state is reloaded from its JSON form, and controls
// (stop, terminate, suspend and resume, deadline, retry) arrive. Every event and its time are kept,
// so a second run from the same workflow can replay them and must end in the same status.
import { applyEvent, WorkflowState, type EngineCommand, type EngineEvent, type NodeJob } from '@regatta/engine';
import type { Workflow } from '@regatta/spec';
import { Random } from '../chaos/random.js';

export const MAX_EVENTS = 20_000;
const ENDED = new Set(['Succeeded', 'Failed', 'Error']);

export interface DriveResult {
  outcome: 'ended' | 'capped';
  phase: string;
  events: { event: EngineEvent; now: string }[];
  status: string;
}

/** Runs the workflow to its end; throws what the engine throws, and when nothing is left to do but it has not ended. */
export function drive(workflow: Workflow, seed: number): DriveResult {
  const random = new Random(seed);
  let state = new WorkflowState(structuredClone(workflow));
  const jobs = new Map<string, NodeJob>();
  const later: EngineEvent[] = [];
  const log: { event: EngineEvent; now: string }[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let retried = false;

  const apply = (event: EngineEvent) => {
    clock += 1000 * random.int(0, 3);
    const now = new Date(clock).toISOString().replace(/\.\d+Z$/, 'Z');
    log.push({ event, now });
    const result = applyEvent(state, event, now);
    for (const command of result.commands) answer(command);
  };
  const answer = (command: EngineCommand) => {
    switch (command.type) {
      case 'dispatchNode':
        jobs.set(command.job.nodeId, command.job);
        break;
      case 'cancelNodes':
        for (const id of command.nodeIds) jobs.delete(id);
        break;
      case 'scheduleEvent':
        later.push(command.event);
        break;
      case 'acquireLocks':
        later.push(random.next() < 0.05 ? { type: 'locksRefused', nodeId: command.nodeId, message: 'no such lock' } : { type: 'locksAcquired', nodeId: command.nodeId });
        break;
      case 'lookupMemo':
        later.push({ type: 'memoAnswered', nodeId: command.nodeId });
        break;
      case 'readConfigMaps':
        later.push({ type: 'configMapsRead', nodeId: command.nodeId, values: command.keys.map((key) => ({ ...key, value: 'read' })) });
        break;
      default:
        break;
    }
  };

  apply({ type: 'workflowSubmitted' });
  while (log.length < MAX_EVENTS) {
    const phase = state.workflow.status?.phase ?? '';
    const roll = random.next();
    if (roll < 0.03 && log.length > 1) {
      apply(log[random.int(0, log.length - 1)]!.event); // a redelivery
    } else if (roll < 0.05) {
      state = new WorkflowState(JSON.parse(JSON.stringify(state.workflow)) as Workflow);
    } else if (roll < 0.06 && !ENDED.has(phase)) {
      apply({ type: 'control', control: { action: random.pick(['stop', 'terminate', 'deadline', 'suspend'] as const) } });
    } else if (state.workflow.spec.suspend && !ENDED.has(phase) && (jobs.size === 0 || roll < 0.1)) {
      // Read from the spec: a workflow that ended while suspended stays so, and so does its retry.
      apply({ type: 'control', control: { action: 'resume' } });
    } else if (jobs.size > 0 && (later.length === 0 || roll < 0.85)) {
      const job = [...jobs.values()][random.int(0, jobs.size - 1)]!;
      jobs.delete(job.nodeId);
      apply(finished(job, random));
    } else if (later.length > 0) {
      apply(later.splice(random.int(0, later.length - 1), 1)[0]!);
    } else if (ENDED.has(phase)) {
      if (retried || random.next() < 0.8) return { outcome: 'ended', phase, events: log, status: JSON.stringify(state.workflow.status) };
      retried = true;
      apply({ type: 'control', control: { action: 'retry' } });
    } else {
      const open = Object.values(state.workflow.status?.nodes ?? {}).filter((node) => !ENDED.has(node.phase) && node.phase !== 'Skipped' && node.phase !== 'Omitted');
      const shown = open.map((node) => `${node.displayName} ${node.type} ${node.phase}${node.message ? ` "${node.message}"` : ''}${node.synchronizationStatus ? ` ${JSON.stringify(node.synchronizationStatus)}` : ''}`);
      throw new Error(`stuck: the workflow is ${phase || 'Pending'} with no node running and nothing to deliver after ${log.length} events; open nodes: ${shown.join('; ')}; events: ${log.map(({ event }) => JSON.stringify(event)).join(' ')}`);
    }
  }
  return { outcome: 'capped', phase: state.workflow.status?.phase ?? '', events: log, status: JSON.stringify(state.workflow.status) };
}

function finished(job: NodeJob, random: Random): EngineEvent {
  const phase = random.weighted([['Succeeded', 7], ['Failed', 2], ['Error', 1]] as const);
  const outputs = random.next() < 0.6 ? { result: random.pick(['heads', 'tails', '', '[1,2]', '{"a":1}', '{{x}}', 'x'.repeat(300)]), ...(random.next() < 0.5 && { parameters: [{ name: 'o', value: random.pick(['1', 'a', '["x"]', '']) }] }) } : undefined;
  return { type: 'nodeFinished', nodeId: job.nodeId, attempt: job.attempt, phase, ...(phase !== 'Succeeded' && { message: 'Error (exit code 1)' }), ...(outputs && { outputs }) };
}

/** Applies recorded events to a fresh state from the same workflow; returns the status it ends with. */
export function replay(workflow: Workflow, events: { event: EngineEvent; now: string }[], reloadAt: number): string {
  let state = new WorkflowState(structuredClone(workflow));
  events.forEach(({ event, now }, i) => {
    if (i === reloadAt) state = new WorkflowState(JSON.parse(JSON.stringify(state.workflow)) as Workflow);
    applyEvent(state, event, now);
  });
  return JSON.stringify(state.workflow.status);
}
