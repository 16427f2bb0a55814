// YAML text to plain objects, refusing what Kubernetes would and what could exhaust the process:
// syntax errors, repeated keys, several documents where one is expected, alias bombs, oversized input
// (as written, and once aliases are expanded: 100 aliases of a 1 MB scalar are a 100 MB workflow).
// Every refusal names a line and column; what parses comes with its source for the checks that follow.
import { isScalar, LineCounter, parseAllDocuments, visit, type Document, type ScalarTag } from 'yaml';
import { SpecError, type SpecIssue } from './errors.js';
import { DocumentSource } from './issues.js';
import { indentQuotedContinuations } from './quote-indent.js';
import { SourceLocator } from './source-map.js';

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** Alias expansions allowed when building the object; a billion-laughs document needs far more. */
const MAX_ALIAS_COUNT = 100;

export interface Parsed {
  value: unknown;
  source: DocumentSource;
}

interface Stream {
  documents: Document.Parsed[];
  lines: LineCounter;
  issue(offset: number, message: string): SpecIssue;
}

/** A file of exactly one document: a workflow. */
export function parseYaml(text: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Parsed | SpecIssue[] {
  const stream = readStream(text, file, maxBytes);
  if (Array.isArray(stream)) return stream;
  const [document, second] = stream.documents;
  if (second) return [stream.issue(second.range[0], 'more than one YAML document: one workflow is expected here (regatta submit takes several)')];
  return toParsed(document!, stream, file, maxBytes);
}

/** A file of one or more documents separated by `---`, as `kubectl apply -f` reads it; throws every issue. */
export function parseYamlDocuments(text: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Parsed[] {
  const stream = readStream(text, file, maxBytes);
  if (Array.isArray(stream)) throw new SpecError(stream);
  const several = stream.documents.length > 1;
  const parsed: Parsed[] = [];
  const issues: SpecIssue[] = [];
  stream.documents.forEach((document, i) => {
    const result = toParsed(document, stream, file, maxBytes, several ? `document ${i + 1}` : undefined);
    if (Array.isArray(result)) issues.push(...result);
    else parsed.push(result);
  });
  if (issues.length > 0) throw new SpecError(issues);
  return parsed;
}

function readStream(text: string, file: string, maxBytes: number): Stream | SpecIssue[] {
  const size = Buffer.byteLength(text);
  if (size > maxBytes) {
    return [{ code: 'LIMIT', file, path: '', message: `document is ${size} bytes, over the limit of ${maxBytes}` }];
  }
  let stream = parseStream(text);
  if (stream.failed) {
    // Argo's reader is laxer about quoted strings; keep the retry only if it parses cleanly.
    const indented = indentQuotedContinuations(text);
    const retry = indented === undefined ? undefined : parseStream(indented);
    if (retry && !retry.failed) stream = retry;
  }
  const { documents, lines } = stream;
  const issue = (offset: number, message: string): SpecIssue => {
    const { line, col } = lines.linePos(offset);
    return { code: 'YAML', file, line, column: col, path: '', message };
  };
  if (documents.length === 0) return [issue(0, 'the document is empty')];
  return { documents, lines, issue };
}

function toParsed(document: Document.Parsed, stream: Stream, file: string, maxBytes: number, documentLabel?: string): Parsed | SpecIssue[] {
  if (document.errors.length > 0) {
    return document.errors.map((error) => {
      const key = error.code === 'DUPLICATE_KEY' ? keyAt(document, error.pos[0]) : undefined;
      return stream.issue(error.pos[0], key === undefined ? reason(error.message) : `key "${key}" is written twice in this map`);
    });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = reason((error as Error).message);
    const bomb = /excessive alias/i.test(message);
    return [stream.issue(document.range[0], bomb ? `more than ${MAX_ALIAS_COUNT} alias expansions: refusing a possible alias bomb` : message)];
  }
  if (exceeds(value, maxBytes)) {
    return [stream.issue(document.range[0], `aliases expand the document past the limit of ${maxBytes} bytes`)];
  }
  return { value, source: new DocumentSource(file, new SourceLocator(document, stream.lines), documentLabel) };
}

/** Whether the value's JSON form would pass `limit` characters (about its bytes), counting each
 * appearance of a shared (aliased) map or list; a shared one is measured once. */
function exceeds(value: unknown, limit: number): boolean {
  const sizes = new Map<object, number>();
  const size = (node: unknown): number => {
    if (typeof node === 'string') return node.length + 2;
    if (node === null || typeof node !== 'object') return 8;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 2;
    for (const [key, item] of Object.entries(node)) {
      total += (Array.isArray(node) ? 1 : key.length + 4) + size(item);
      if (total > limit) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(value) > limit;
}

/**
 * YAML 1.1's octal integers (`0755` is 493), as Kubernetes' YAML reader (go-yaml v2) reads them: Argo's
 * examples write artifact modes so. Only read, never chosen to write a number.
 */
const LEGACY_OCTAL: ScalarTag = { identify: () => false, default: true, tag: 'tag:yaml.org,2002:int', format: 'OCT', test: /^0[0-7]+$/, resolve: (text) => parseInt(text, 8) };

function parseStream(text: string): { documents: Document.Parsed[]; lines: LineCounter; failed: boolean } {
  const lines = new LineCounter();
  // `merge` accepts `<<: *defaults` as Kubernetes' YAML reader does.
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false, customTags: (tags) => [LEGACY_OCTAL, ...tags] });
  // A stray `---` at either end makes an empty document, which kubectl skips too.
  const documents = parsed.filter((document) => document.errors.length > 0 || !isEmpty(document));
  return { documents, lines, failed: documents.some((document) => document.errors.length > 0) };
}

function isEmpty(document: Document): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
}

/** The text of the map key that starts at `offset`: YAML's duplicate-key error only points at it. */
function keyAt(document: Document, offset: number): string | undefined {
  let key: string | undefined;
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      key = String(pair.key.value);
      return visit.BREAK;
    },
  });
  return key;
}

/** The parser's message, or ours where it only passes on the stack overflow of a too deeply nested document. */
function reason(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return 'the document nests too deeply to be read';
  return message.split('\n')[0] ?? message;
}
