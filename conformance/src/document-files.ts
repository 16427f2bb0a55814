// Each document is handed to `regatta` as a file of its own (the CLI takes one document per file), at
// the example's relative path under a private folder, so that Regatta's messages name the example's
// path and, thanks to the padding, its line numbers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class DocumentFiles {
  private readonly root = mkdtempSync(join(tmpdir(), 'regatta-conformance-'));
  private next = 0;

  /** Writes the text as `file` (relative) in a folder of its own; returns that folder, to run the CLI in. */
  write(file: string, text: string): string {
    const cwd = join(this.root, String(this.next++));
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
    return cwd;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
