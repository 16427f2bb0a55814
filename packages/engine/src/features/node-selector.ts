// Argo's `--node-field-selector`: comma-separated `field=value` or `field!=value` terms over a node's
// fields (displayName, name, id, templateName, phase, type), all of which must hold.
import type { NodeStatus } from '@regatta/spec';

const FIELDS = ['displayName', 'name', 'id', 'templateName', 'phase', 'type'] as const;
type Field = (typeof FIELDS)[number];

export function parseNodeSelector(selector: string): ((node: NodeStatus) => boolean) | string {
  const terms: { field: Field; value: string; negate: boolean }[] = [];
  for (const term of selector.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (!match || !FIELDS.includes(match[1] as Field)) {
      return `node field selector "${term}" is not one of ${FIELDS.map((f) => `${f}=…`).join(', ')}`;
    }
    terms.push({ field: match[1] as Field, value: match[3]!, negate: match[2] === '!=' });
  }
  return (node) => terms.every(({ field, value, negate }) => (String(node[field] ?? '') === value) !== negate);
}
