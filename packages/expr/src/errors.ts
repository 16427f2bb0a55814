// Expression errors carry which language failed, so callers can word node messages as Argo does.

export type ExpressionErrorCode = 'TAG' | 'WHEN' | 'DEPENDS' | 'EXPR';

export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** A reason worded as Argo's Go code words it, thrown inside one parser or evaluator; the public
 * function that called it wraps the reason in an ExpressionError with Argo's prefix. */
export class Failure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Failure';
  }
}
