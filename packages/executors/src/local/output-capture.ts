// Output of a node process: lines for the log as they arrive, and the tail of stdout that becomes
// `outputs.result` (Argo keeps the last 256 KiB and trims one trailing newline).

export const RESULT_LIMIT = 256 * 1024;

export class LineSplitter {
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  end(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }
}

/** Keeps only the last `limit` bytes written, so a chatty process costs bounded memory. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = RESULT_LIMIT) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit) this.size -= this.chunks.shift()!.length;
  }

  /** The tail as text, with one trailing newline trimmed. */
  result(): string {
    let buffer = Buffer.concat(this.chunks);
    if (buffer.length > this.limit) buffer = buffer.subarray(buffer.length - this.limit);
    const text = buffer.toString('utf8');
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  }
}
