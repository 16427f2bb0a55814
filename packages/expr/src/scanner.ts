// A cursor over a text's code points, shared by the `when` and `depends` lexers so both read
// characters, and count positions, the same way.

export class Scanner {
  private readonly chars: readonly string[];
  private index = 0;

  constructor(text: string) {
    this.chars = Array.from(text);
  }

  /** How many code points have been read. */
  get position(): number {
    return this.index;
  }

  get done(): boolean {
    return this.index >= this.chars.length;
  }

  peek(): string | undefined {
    return this.chars[this.index];
  }

  next(): string | undefined {
    return this.done ? undefined : this.chars[this.index++];
  }

  /** Steps back over the last character read. */
  back(): void {
    if (this.index > 0) this.index--;
  }

  skipWhile(test: (char: string) => boolean): void {
    while (!this.done && test(this.chars[this.index]!)) this.index++;
  }

  readWhile(test: (char: string) => boolean): string {
    const start = this.index;
    this.skipWhile(test);
    return this.chars.slice(start, this.index).join('');
  }

  /** Reads `literal` (ASCII) if the text continues with it. */
  accept(literal: string): boolean {
    for (let i = 0; i < literal.length; i++) {
      if (this.chars[this.index + i] !== literal[i]) return false;
    }
    this.index += literal.length;
    return true;
  }
}
