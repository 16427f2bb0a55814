// kubectl's `-o jsonpath=` templates, which Argo runs for an output parameter's `valueFrom.jsonPath`:
// text with `{…}` expressions (`{.metadata.name}`, `{.items[*].name}`), each expression's matches
// printed space-separated, strings as they are and the rest as JSON. `{range}`/`{end}` and other
// template functions are not read. A text without braces is taken as one expression. A path that finds
// nothing prints nothing, as kubectl's --allow-missing-template-keys (on by default) does.
import { JSONPath } from 'jsonpath-plus';

export function jsonPathText(object: unknown, template: string): string {
  const parts = template.includes('{') ? template.split(/(\{[^{}]*\})/) : [`{${template}}`];
  return parts
    .map((part) => {
      if (!part.startsWith('{') || !part.endsWith('}')) {
        if (/[{}]/.test(part)) throw new Error(`jsonPath "${template}": unbalanced braces`);
        return part;
      }
      const expression = part.slice(1, -1).trim();
      if (/^(range|end)\b/.test(expression)) throw new Error(`jsonPath "${template}": {range} is not supported`);
      const path = expression.startsWith('$') ? expression : `$${expression.startsWith('.') || expression.startsWith('[') ? '' : '.'}${expression}`;
      const found = JSONPath({ path, json: object as object, wrap: true }) as unknown[];
      return found.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' ');
    })
    .join('');
}
