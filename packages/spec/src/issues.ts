// Collects the issues found on the parsed object, placing each at its source line through the locator.
import type { SpecErrorCode, SpecIssue } from './errors.js';
import { formatPath, type FieldPath, type SourceLocator } from './source-map.js';

/** One YAML document of a file: places an issue found on its object at the line it stands on. */
export class DocumentSource {
  constructor(
    readonly file: string,
    private readonly locator: SourceLocator,
    /** Set in files of several documents, so that each issue says which one it is about. */
    private readonly documentLabel?: string,
  ) {}

  issue(code: SpecErrorCode, path: FieldPath, message: string): SpecIssue {
    const { line, column } = this.locator.locate(path);
    const text = this.documentLabel ? `${this.documentLabel}: ${message}` : message;
    return { code, file: this.file, line, column, path: formatPath(path), message: text };
  }
}

/**
 * The issues one document may give; past it they are only counted, in one last issue. A document that
 * repeats one mistake 150,000 times would otherwise cost seconds to place each issue at its line and
 * a screen no reader can use.
 */
export const MAX_ISSUES = 100;

export class IssueList {
  readonly items: SpecIssue[] = [];
  private dropped = 0;

  constructor(readonly source: DocumentSource) {}

  add(code: SpecErrorCode, path: FieldPath, message: string): void {
    if (this.items.length < MAX_ISSUES) this.items.push(this.source.issue(code, path, message));
    else this.dropped++;
  }

  /** In the order of the file, as a reader fixes them; issues at one place keep the order found. */
  inFileOrder(): SpecIssue[] {
    const ordered = inFileOrder(this.items);
    if (this.dropped === 0) return ordered;
    return [...ordered, this.source.issue('LIMIT', [], `and ${this.dropped} more issues, not shown (at most ${MAX_ISSUES} are)`)];
  }
}

export function inFileOrder(issues: SpecIssue[]): SpecIssue[] {
  return issues.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
