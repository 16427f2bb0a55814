// Printing a workflow for scripts (`-o json|yaml`: the Workflow object and nothing else on stdout)
// and for people (the tree, redrawn in place on a terminal).
import { stringify } from 'yaml';
import type { LogEntry } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { renderWorkflow } from './render/index.js';

/** `-o` of the commands that print what they made: the objects, or `text` (the people's view; `-o wide` asks for it too). */
export type OutputFormat = 'json' | 'yaml' | 'text';

export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'wide') return 'text';
  if (value === 'json' || value === 'yaml') return value;
  throw new Error(`unknown output format "${value}": use json or yaml`);
}

/** `-o` of `list` and `get`: Argo's table (`wide` with its extra columns), names alone, or the objects. */
export type ViewFormat = 'table' | 'wide' | 'name' | 'json' | 'yaml';
const VIEW_FORMATS: readonly ViewFormat[] = ['wide', 'name', 'json', 'yaml'];

export function parseViewFormat(value: string | undefined): ViewFormat {
  if (value === undefined) return 'table';
  if ((VIEW_FORMATS as readonly string[]).includes(value)) return value as ViewFormat;
  throw new Error(`unknown output format "${value}": use ${VIEW_FORMATS.join(', ')}`);
}

/** `wide` is the tree with Argo's extra columns (ARTIFACTS, RESOURCESDURATION, NODENAME). */
export function formatWorkflow(workflow: Workflow, format: OutputFormat | ViewFormat, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(workflow, null, 2)}\n`;
  if (format === 'yaml') return stringify(workflow);
  if (format === 'name') return `${workflow.metadata.name}\n`;
  return `${renderWorkflow(workflow, { now: new Date(), color, width: process.stdout.columns, wide: format === 'wide' })}\n`;
}

/** A line as `argo logs` prints it: after its pod's name. */
export function printLogEntry({ podName, content }: LogEntry): void {
  process.stdout.write(`${podName}: ${content}\n`);
}

/** As `argo logs --timestamps` prints it: the time between the pod's name and the line. */
export function printTimedLogEntry({ podName, time, content }: LogEntry): void {
  process.stdout.write(`${podName}: ${time} ${content}\n`);
}

/** Redraws a frame in place on a terminal; elsewhere it draws nothing until `final`. */
export class LiveView {
  private lines = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  draw(frame: string): void {
    if (!this.interactive) return;
    const erase = this.lines > 0 ? `\x1b[${this.lines}F\x1b[0J` : '';
    this.stream.write(erase + frame);
    this.lines = frame.split('\n').length - 1;
  }

  final(frame: string): void {
    if (this.interactive) this.draw(frame);
    else this.stream.write(frame);
  }
}
