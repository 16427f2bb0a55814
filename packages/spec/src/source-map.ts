// Maps an Argo field path back to where it stands in the YAML text, so an issue found on the parsed
// object can name its line and column; a missing field points at its parent.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type FieldPath = (string | number)[];

export function formatPath(path: FieldPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

export class SourceLocator {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  locate(path: FieldPath): { line: number; column: number } {
    let node: unknown = this.document.contents;
    let found = node as Node | null;
    for (const part of path) {
      let next: unknown;
      if (isMap(node) && typeof part === 'string') {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
        next = pair?.value ?? undefined;
        // A key with no value: point at the key itself.
        if (pair && !next) next = pair.key;
      } else if (isSeq(node) && typeof part === 'number') {
        next = node.items[part];
      }
      if (!next) break;
      node = next;
      found = next as Node;
    }
    const offset = found?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}
