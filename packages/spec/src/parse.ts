// YAML text to a plain object, refusing what Argo or Kubernetes would: syntax errors, duplicate keys,
// several documents, alias bombs, oversized input. Every refusal names a line and column.
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { SpecIssue } from './errors.js';
import { SourceLocator } from './source-map.js';

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export interface Parsed {
  value: unknown;
  locator: SourceLocator;
}

export function parseYaml(text: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Parsed | SpecIssue[] {
  const size = Buffer.byteLength(text);
  if (size > maxBytes) {
    return [{ code: 'LIMIT', file, path: '', message: `document is ${size} bytes, over the limit of ${maxBytes}` }];
  }
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false }) as Document[];
  const issue = (offset: number, message: string): SpecIssue => {
    const { line, col } = lines.linePos(offset);
    return { code: 'YAML', file, line, column: col, path: '', message };
  };
  if (documents.length === 0) return [{ code: 'YAML', file, line: 1, column: 1, path: '', message: 'the document is empty' }];
  if (documents.length > 1) return [issue(documents[1]!.range?.[0] ?? 0, 'more than one YAML document: submit one workflow per file')];
  const document = documents[0]!;
  if (document.errors.length > 0) return document.errors.map((error) => issue(error.pos[0], firstLine(error.message)));
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return [issue(0, firstLine((error as Error).message))];
  }
  if (value === null || value === undefined) return [issue(0, 'the document is empty')];
  return { value, locator: new SourceLocator(document, lines) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}
