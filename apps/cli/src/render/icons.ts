// Argo's node status icons (`JobStatusIconMap`, and `ǁ` for a suspend node that waits), coloured as
// `argo get` colours them when the caller asks for colour.
import * as util from 'node:util';
import type { NodePhase, NodeStatus } from '@regatta/spec';

type Tint = 'green' | 'cyan' | 'yellow' | 'red';

const PHASE_ICONS: Record<NodePhase, readonly [icon: string, tint?: Tint]> = {
  Pending: ['◷', 'yellow'],
  Running: ['●', 'cyan'],
  Succeeded: ['✔', 'green'],
  Skipped: ['○'],
  Omitted: ['○'],
  Failed: ['✖', 'red'],
  Error: ['⚠', 'red'],
};

const SUSPENDED = ['ǁ', 'cyan'] as const;

/**
 * `styleText` arrived in Node 20.12 (older 20.x prints plain icons); `validateStream: false` because the
 * caller has already decided whether the output takes colour.
 */
const styleText = (util as { styleText?: (format: Tint, text: string, options?: { validateStream?: boolean }) => string }).styleText;

/** Argo's `IsActiveSuspendNode`: a suspend node still waiting to be resumed. */
export function isActiveSuspendNode(node: NodeStatus): boolean {
  return node.type === 'Suspend' && node.phase === 'Running';
}

export function nodeIcon(node: NodeStatus, color: boolean): string {
  const [icon, tint] = isActiveSuspendNode(node) ? SUSPENDED : PHASE_ICONS[node.phase];
  return color && tint && styleText ? styleText(tint, icon, { validateStream: false }) : icon;
}
