// Questions about a node's phase, asked everywhere in the engine; kept apart from the state so that the
// modules the state is built from can ask them too.
import type { NodePhase } from '@regatta/spec';
import { nodeEnded } from '@regatta/spec';

export function isFulfilled(phase: NodePhase): boolean {
  return nodeEnded(phase);
}

export function isFailedOrError(phase: NodePhase): boolean {
  return phase === 'Failed' || phase === 'Error';
}
