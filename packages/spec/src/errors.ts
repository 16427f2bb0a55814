// User-facing spec errors: every issue names the file, line, column and Argo field path, and a
// SpecError carries all of them, so one run of `lint` shows everything that is wrong.

export type SpecErrorCode = 'YAML' | 'SCHEMA' | 'REFERENCE' | 'CYCLE' | 'DUPLICATE' | 'PARAMETER' | 'LIMIT';

export interface SpecIssue {
  code: SpecErrorCode;
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

export function formatIssue(issue: SpecIssue): string {
  const place = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path ? `${place}: ${issue.path}: ${issue.message}` : `${place}: ${issue.message}`;
}

export class SpecError extends Error {
  readonly code: SpecErrorCode;

  constructor(readonly issues: SpecIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'SpecError';
    this.code = issues[0]?.code ?? 'SCHEMA';
  }
}
