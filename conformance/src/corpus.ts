// The example files: every .yaml/.yml under the corpus folder, as sorted paths relative to it with `/`
// separators (the manifest's keys). The corpus lives outside the repository and may be absent.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Undefined when there is no such folder. */
export function listExamples(corpus: string): string[] | undefined {
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) return undefined;
  return walk(corpus)
    .map((file) => relative(corpus, file).split(sep).join('/'))
    .sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
