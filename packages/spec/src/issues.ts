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

export class IssueList {
  readonly items: SpecIssue[] = [];

  constructor(readonly source: DocumentSource) {}

  add(code: SpecErrorCode, path: FieldPath, message: string): void {
    this.items.push(this.source.issue(code, path, message));
  }

  /** In the order of the file, as a reader fixes them; issues at one place keep the order found. */
  inFileOrder(): SpecIssue[] {
    return inFileOrder(this.items);
  }
}

export function inFileOrder(issues: SpecIssue[]): SpecIssue[] {
  return issues.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
