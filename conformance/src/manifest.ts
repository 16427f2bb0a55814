// The one manifest of what each example is expected to do (conformance/expectations.yaml). Two kinds of
// entries share it: the outcome class of the last accepted run (`outcome`, `reason`), rewritten by
// `--update`, and hand-written `skip` and `expect` taken from Argo's documentation of the example,
// which `--update` leaves as they are, comments included.
import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import { OUTCOME_CLASSES, type FileOutcome, type OutcomeClass } from './outcome.js';

/** A bare string means `equals`. */
export type TextMatcher = string | { equals: string } | { matches: string } | { contains: string } | { oneOf: string[] };
export type PhaseMatcher = string | string[];

export interface NodeExpectation {
  /**
   * Every node with this display name must match, and there must be at least one. A generated
   * workflow name reads as `<generateName>*`, so the root node of `hello-world-` is `hello-world-*`.
   */
  displayName: string;
  phase?: PhaseMatcher;
  result?: TextMatcher;
  message?: TextMatcher;
  parameters?: Record<string, TextMatcher>;
}

export interface Expectations {
  /** The workflow phase; Succeeded unless set. A list accepts any of its phases. */
  phase?: PhaseMatcher;
  message?: TextMatcher;
  outputs?: { parameters?: Record<string, TextMatcher> };
  nodes?: NodeExpectation[];
}

export interface ManifestEntry {
  outcome?: OutcomeClass;
  reason?: string;
  /** Not run at all, for this reason (e.g. it runs for ten minutes by design). */
  skip?: string;
  expect?: Expectations;
}

export type Manifest = Record<string, ManifestEntry>;

export class ManifestError extends Error {
  constructor(source: string, path: string, message: string) {
    super(`${source}: ${path}: ${message}`);
    this.name = 'ManifestError';
  }
}

export function parseManifest(text: string, source: string): Manifest {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ManifestError(source, '', document.errors[0]!.message.split('\n')[0]!);
  const root: unknown = document.toJS() ?? {};
  const fail = (path: string, message: string) => new ManifestError(source, path, message);
  if (!isRecord(root)) throw fail('', 'expected a map with `examples`');
  const examples = root.examples ?? {};
  if (!isRecord(examples)) throw fail('examples', 'expected a map of example files');
  const manifest: Manifest = {};
  for (const [file, raw] of Object.entries(examples)) {
    const at = `examples["${file}"]`;
    const entry = raw ?? {};
    if (!isRecord(entry)) throw fail(at, 'expected a map');
    checkKeys(entry, ['outcome', 'reason', 'skip', 'expect'], at, fail);
    if (entry.outcome !== undefined && !OUTCOME_CLASSES.includes(entry.outcome as OutcomeClass)) {
      throw fail(`${at}.outcome`, `expected one of ${OUTCOME_CLASSES.join(', ')}`);
    }
    for (const field of ['reason', 'skip']) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') throw fail(`${at}.${field}`, 'expected a string');
    }
    if (entry.expect !== undefined) checkExpectations(entry.expect, `${at}.expect`, fail);
    manifest[file] = entry as ManifestEntry;
  }
  return manifest;
}

type Fail = (path: string, message: string) => ManifestError;

function checkExpectations(value: unknown, at: string, fail: Fail): void {
  if (!isRecord(value)) throw fail(at, 'expected a map');
  checkKeys(value, ['phase', 'message', 'outputs', 'nodes'], at, fail);
  if (value.phase !== undefined) checkPhase(value.phase, `${at}.phase`, fail);
  if (value.message !== undefined) checkMatcher(value.message, `${at}.message`, fail);
  if (value.outputs !== undefined) {
    if (!isRecord(value.outputs)) throw fail(`${at}.outputs`, 'expected a map with `parameters`');
    checkKeys(value.outputs, ['parameters'], `${at}.outputs`, fail);
    checkParameters(value.outputs.parameters, `${at}.outputs.parameters`, fail);
  }
  if (value.nodes === undefined) return;
  if (!Array.isArray(value.nodes)) throw fail(`${at}.nodes`, 'expected a list');
  value.nodes.forEach((node: unknown, i) => {
    const nodeAt = `${at}.nodes[${i}]`;
    if (!isRecord(node) || typeof node.displayName !== 'string') throw fail(nodeAt, 'expected a map with `displayName`');
    checkKeys(node, ['displayName', 'phase', 'result', 'message', 'parameters'], nodeAt, fail);
    if (node.phase !== undefined) checkPhase(node.phase, `${nodeAt}.phase`, fail);
    for (const field of ['result', 'message']) if (node[field] !== undefined) checkMatcher(node[field], `${nodeAt}.${field}`, fail);
    checkParameters(node.parameters, `${nodeAt}.parameters`, fail);
  });
}

function checkParameters(value: unknown, at: string, fail: Fail): void {
  if (value === undefined) return;
  if (!isRecord(value)) throw fail(at, 'expected a map of parameter names to matchers');
  for (const [name, matcher] of Object.entries(value)) checkMatcher(matcher, `${at}.${name}`, fail);
}

function checkPhase(value: unknown, at: string, fail: Fail): void {
  const phases = Array.isArray(value) ? value : [value];
  if (phases.length === 0 || !phases.every((phase) => typeof phase === 'string')) throw fail(at, 'expected a phase or a list of phases');
}

function checkMatcher(value: unknown, at: string, fail: Fail): void {
  if (typeof value === 'string') return;
  const [kind, ...more] = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || kind === undefined || more.length > 0) throw fail(at, 'expected a string or one of equals, matches, contains, oneOf');
  if (!['equals', 'matches', 'contains', 'oneOf'].includes(kind)) throw fail(at, `unknown matcher "${kind}"`);
  const operand = value[kind];
  if (kind === 'oneOf' ? !(Array.isArray(operand) && operand.every((item) => typeof item === 'string')) : typeof operand !== 'string') {
    throw fail(`${at}.${kind}`, kind === 'oneOf' ? 'expected a list of strings' : 'expected a string');
  }
  if (kind === 'matches') {
    try {
      new RegExp(operand as string);
    } catch (error) {
      throw fail(`${at}.matches`, (error as Error).message);
    }
  }
}

function checkKeys(value: Record<string, unknown>, allowed: string[], at: string, fail: Fail): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw fail(`${at}.${unknown}`, `unknown field; expected one of ${allowed.join(', ')}`);
}

/**
 * Rewrites `outcome` and `reason` of every example that ran, drops them for files no longer in the
 * corpus (and the entry, when nothing hand-written is left), and keeps the entries sorted by file.
 */
export function updateManifest(text: string | undefined, outcomes: FileOutcome[], corpusFiles: string[]): string {
  const document = text === undefined ? new Document({ examples: {} }) : parseDocument(text);
  if (!isMap(document.get('examples'))) document.set('examples', document.createNode({}));
  const examples = document.get('examples') as YAMLMap<unknown, unknown>;
  for (const outcome of outcomes) {
    if (!isMap(examples.get(outcome.file))) examples.set(outcome.file, document.createNode({}));
    const entry = examples.get(outcome.file) as YAMLMap<unknown, unknown>;
    entry.delete('outcome');
    entry.delete('reason');
    // First in the entry, so that the recorded class reads before the hand-written parts.
    const recorded = [document.createPair('outcome', outcome.class)];
    if (outcome.class !== 'pass' && outcome.reason !== undefined) recorded.push(document.createPair('reason', outcome.reason));
    entry.items.unshift(...recorded);
  }
  const present = new Set(corpusFiles);
  for (const { key } of [...examples.items]) {
    const file = String(keyText(key));
    if (present.has(file)) continue;
    const entry = examples.get(file);
    if (isMap(entry)) {
      entry.delete('outcome');
      entry.delete('reason');
    }
    if (!isMap(entry) || entry.items.length === 0) examples.delete(file);
  }
  examples.items.sort((a, b) => String(keyText(a.key)).localeCompare(String(keyText(b.key))));
  return document.toString({ lineWidth: 0 });
}

function keyText(key: unknown): unknown {
  return isRecord(key) && 'value' in key ? key.value : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
