// Maps an Argo field path back to where it stands in the YAML text, so an issue found on the parsed
// object can name its line and column; a field that is not written points at its parent.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type FieldPath = (string | number)[];

/** Argo's dotted form: `spec.templates[2].dag.tasks[1].dependencies[0]`. */
export function formatPath(path: FieldPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

export class SourceLocator {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  locate(path: FieldPath): { line: number; column: number } {
    let node = this.document.contents as Node | null;
    let offset = node?.range?.[0] ?? 0;
    for (const part of path) {
      const next = this.child(node, part);
      if (!next?.range) break;
      node = next;
      offset = next.range[0];
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private child(node: Node | null, part: string | number): Node | undefined {
    // A path through an alias goes on inside what the anchor names.
    const parent = isAlias(node) ? node.resolve(this.document) : node;
    if (isSeq(parent) && typeof part === 'number') return (parent.items[part] as Node | undefined) ?? undefined;
    if (!isMap(parent) || typeof part !== 'string') return undefined;
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === part);
    if (!pair) return undefined;
    // `key:` with nothing after it has an empty value with no text: point at the key instead.
    const value = pair.value as Node | null;
    return value && !(isScalar(value) && value.value === null) ? value : (pair.key as Node);
  }
}
