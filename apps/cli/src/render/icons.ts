// Argo's status icons, coloured on a terminal.
import * as util from 'node:util';
import type { NodePhase, WorkflowPhase } from '@regatta/spec';

const ICONS: Record<string, [string, Color]> = {
  Succeeded: ['✔', 'green'],
  Running: ['●', 'cyan'],
  Pending: ['◷', 'yellow'],
  Failed: ['✖', 'red'],
  Error: ['⚠', 'red'],
  Skipped: ['○', 'gray'],
  Omitted: ['○', 'gray'],
};

type Color = 'green' | 'cyan' | 'yellow' | 'red' | 'gray';

/** `styleText` arrived in Node 20.12; older 20.x prints plain icons. */
const styleText = (util as { styleText?: (format: Color, text: string) => string }).styleText;

export function phaseIcon(phase: NodePhase | WorkflowPhase, color: boolean): string {
  const [icon, tint] = ICONS[phase] ?? ['◷', 'yellow'];
  return color && styleText ? styleText(tint, icon) : icon;
}

export function colorPhase(phase: string, color: boolean): string {
  const tint = ICONS[phase]?.[1];
  return color && styleText && tint ? styleText(tint, phase) : phase;
}
