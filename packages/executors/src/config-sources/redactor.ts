// Keeps the Secret values a node received out of what Regatta says about it: its message, the errors its
// executor throws (which the worker logs and reports). A node's own output is its own, as in Argo.
/** Shorter values are not masked: they would mask ordinary words and numbers. */
const MIN_LENGTH = 4;
export const REDACTED = '<redacted>';

export class Redactor {
  private readonly values = new Set<string>();

  /** Runs a node with a redactor of its own: what it ends with, or throws, keeps the values it was given out. */
  static async around<R extends { message?: string; containers?: { message?: string }[] }>(run: (redactor: Redactor) => Promise<R>): Promise<R> {
    const redactor = new Redactor();
    try {
      return redactor.result(await run(redactor));
    } catch (error) {
      throw redactor.error(error);
    }
  }

  /** A value to hide: the whole of it and, for a multi-line one (a key file), each of its lines. */
  add(value: string): void {
    for (const part of [value, ...value.split(/\r?\n/).map((line) => line.trim())]) if (part.length >= MIN_LENGTH) this.values.add(part);
  }

  /** `text` with every value replaced, longest first, so a value inside another goes with it. */
  text(text: string): string {
    let shown = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) shown = shown.split(value).join(REDACTED);
    return shown;
  }

  /** A node's result with its messages (and its containers') redacted. */
  result<R extends { message?: string; containers?: { message?: string }[] }>(result: R): R {
    if (this.values.size === 0) return result;
    const redacted = { ...result };
    if (redacted.message !== undefined) redacted.message = this.text(redacted.message);
    if (redacted.containers) redacted.containers = redacted.containers.map((container) => (container.message === undefined ? container : { ...container, message: this.text(container.message) }));
    return redacted;
  }

  /** An error to throw on: the same error, its message redacted (and no cause that could hold a value). */
  error(error: unknown): unknown {
    if (!(error instanceof Error) || this.values.size === 0) return error;
    const message = this.text(error.message);
    if (message === error.message) return error;
    const redacted = new Error(message);
    redacted.name = error.name;
    return redacted;
  }
}
