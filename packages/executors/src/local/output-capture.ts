// Output of a node process in bounded memory: lines for the log as they arrive, and the tail of stdout
// that becomes `outputs.result` (Argo keeps the last 256 KiB and trims one trailing newline).
import { StringDecoder } from 'node:string_decoder';

export const RESULT_LIMIT = 256 * 1024;
/** A longer run of output without a newline is logged in pieces of this many characters. */
export const LINE_LIMIT = 64 * 1024;

/** Splits a byte stream into lines; a multi-byte character split across chunks stays whole. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly emit: (line: string) => void,
    private readonly lineLimit = LINE_LIMIT,
  ) {}

  push(chunk: Buffer): void {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
    while (this.partial.length >= this.lineLimit) {
      this.emit(this.partial.slice(0, this.lineLimit));
      this.partial = this.partial.slice(this.lineLimit);
    }
  }

  /** Flushes a last line that had no newline. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }
}

/** Keeps only the last bytes written, so a chatty process costs bounded memory. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** One byte more than the limit, for the newline that `result()` trims. */
  private readonly keep: number;

  constructor(private readonly limit = RESULT_LIMIT) {
    this.keep = limit + 1;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.keep) this.size -= this.chunks.shift()!.length;
  }

  /** The tail as Argo reports it: one trailing newline trimmed, then at most `limit` bytes. */
  result(): string {
    let tail: Buffer = Buffer.concat(this.chunks, this.size);
    if (tail.at(-1) === 0x0a) tail = tail.subarray(0, -1);
    if (tail.length > this.limit) tail = startOfCharacter(tail.subarray(tail.length - this.limit));
    return tail.toString('utf8');
  }
}

/** Drops the continuation bytes of a UTF-8 character cut at the front, rather than decode them to U+FFFD. */
function startOfCharacter(bytes: Buffer): Buffer {
  let start = 0;
  while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start);
}
