// Helpers deep inside evaluation know what went wrong but not where; they throw an EvalFailure and
// the evaluator stamps it with the position of the node being evaluated. Only the public entry
// points turn it into an ExpressionError, so the message is worded in one place.

export class EvalFailure extends Error {
  constructor(
    message: string,
    public pos?: number,
  ) {
    super(message);
    this.name = 'EvalFailure';
  }
}

export function fail(message: string, pos?: number): never {
  throw new EvalFailure(message, pos);
}
