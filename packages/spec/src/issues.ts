// Collects the issues found on the parsed object, placing each at its source line through the locator.
import type { SpecErrorCode, SpecIssue } from './errors.js';
import { formatPath, type FieldPath, type SourceLocator } from './source-map.js';

export class IssueList {
  readonly items: SpecIssue[] = [];

  constructor(
    private readonly file: string,
    private readonly locator: SourceLocator,
  ) {}

  add(code: SpecErrorCode, path: FieldPath, message: string): void {
    const { line, column } = this.locator.locate(path);
    this.items.push({ code, file: this.file, line, column, path: formatPath(path), message });
  }

  /** In the order of the file, as a reader fixes them; issues at one place keep the order found. */
  inFileOrder(): SpecIssue[] {
    return this.items.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
