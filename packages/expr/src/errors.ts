// Expression errors carry which language failed, so callers can word node messages as Argo does.

export type ExpressionErrorCode = 'TAG' | 'WHEN' | 'DEPENDS';

export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}
