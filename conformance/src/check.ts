// `--check`: compares a run with the outcome classes the manifest records. Only an example recorded as
// passing that no longer passes is a regression; every other difference is news for `--update`.
import type { Manifest } from './manifest.js';
import type { FileOutcome } from './outcome.js';

export interface CheckResult {
  regressions: string[];
  notices: string[];
}

export function checkAgainstManifest(outcomes: FileOutcome[], manifest: Manifest, corpusFiles: string[]): CheckResult {
  const regressions: string[] = [];
  const notices: string[] = [];
  for (const outcome of outcomes) {
    const expected = manifest[outcome.file]?.outcome;
    const got = outcome.reason === undefined ? outcome.class : `${outcome.class} (${outcome.reason})`;
    if (expected === 'pass' && outcome.class !== 'pass') regressions.push(`${outcome.file}: expected to pass, got ${got}`);
    else if (outcome.class === 'pass' && expected !== 'pass') notices.push(`${outcome.file}: now passes: update the manifest`);
    else if (expected === undefined) notices.push(`${outcome.file}: not in the manifest (${got}): update the manifest`);
    else if (expected !== outcome.class) notices.push(`${outcome.file}: was ${expected}, now ${got}`);
  }
  const present = new Set(corpusFiles);
  const stale = Object.keys(manifest).filter((file) => !present.has(file));
  if (stale.length > 0) notices.push(`${stale.length} manifest ${stale.length === 1 ? 'entry names a file' : 'entries name files'} not in the corpus (${stale[0]}${stale.length > 1 ? ', …' : ''}): --update removes them`);
  return { regressions, notices };
}
