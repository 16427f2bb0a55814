// Bounds on what one node may report: its outputs are stored with the workflow, read by every later
// substitution and copied into the scopes of its dependents, so a node writing a 100 MB parameter
// would slow every event of the workflow after it. A result over the bounds is refused whole: the node
// ends in Error naming the output, and none of its outputs are kept.
import type { NodeOutputs } from '@regatta/spec';

/** Output parameters one node may report. */
export const MAX_OUTPUT_PARAMETERS = 500;
/** UTF-8 bytes of one node's output parameter values and result together. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** UTF-8 length without encoding: surrogate pairs count 2 + 2. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** Why a node's reported outputs are refused, or undefined when they are within the bounds. */
export function outputsOverLimit(outputs: NodeOutputs): string | undefined {
  const parameters = outputs.parameters ?? [];
  if (parameters.length > MAX_OUTPUT_PARAMETERS) return `${parameters.length} output parameters, over the limit of ${MAX_OUTPUT_PARAMETERS}`;
  let total = 0;
  const named: [string, string | undefined][] = [...parameters.map((p): [string, string | undefined] => [`output parameter "${p.name}"`, p.value]), ['result', outputs.result]];
  for (const [name, value] of named) {
    const size = value === undefined ? 0 : utf8Length(value);
    total += size;
    if (total > MAX_OUTPUT_BYTES) return `${name} (${size} bytes) takes the node's outputs over the limit of ${MAX_OUTPUT_BYTES} bytes`;
  }
  return undefined;
}
