// `npm run conformance`: runs Argo's example corpus through a real scheduler and worker and prints one
// line per example file. Wiring only: each step lives in a module of its own.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkAgainstManifest } from './check.js';
import { readConfig, USAGE } from './config.js';
import { listExamples } from './corpus.js';
import { splitDocuments } from './documents.js';
import { parseManifest, updateManifest } from './manifest.js';
import { formatSummary, summarize } from './report.js';
import { runCorpus, type Example } from './run-corpus.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../expectations.yaml', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const MANIFEST_NAME = 'conformance/expectations.yaml';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = readConfig(argv, process.env, REPO_ROOT);
  const corpusFiles = listExamples(config.corpus);
  if (!corpusFiles) {
    process.stdout.write(`no Argo examples at ${config.corpus} (set ARGO_EXAMPLES to the folder): conformance skipped\n`);
    return 0;
  }
  const manifestText = existsSync(MANIFEST) ? readFileSync(MANIFEST, 'utf8') : undefined;
  const manifest = manifestText === undefined ? {} : parseManifest(manifestText, MANIFEST_NAME);
  const examples = corpusFiles.map((file) => readExample(config.corpus, file));
  const selected = examples.filter(({ file }) => config.filters.length === 0 || config.filters.some((filter) => file.includes(filter)));

  const startedAt = new Date();
  const outcomes = await runCorpus(config, examples, selected, manifest, RESULTS);
  const summary = summarize(outcomes, (Date.now() - startedAt.getTime()) / 1000);
  process.stdout.write(`${formatSummary(summary)}\n`);
  writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify({ startedAt: startedAt.toISOString(), corpus: config.corpus, summary, outcomes }, null, 2)}\n`);

  if (config.mode === 'update') {
    writeFileSync(MANIFEST, updateManifest(manifestText, outcomes, corpusFiles));
    process.stdout.write(`${MANIFEST_NAME}: outcome classes updated from this run\n`);
    return 0;
  }
  const { regressions, notices } = checkAgainstManifest(outcomes, manifest, corpusFiles);
  for (const notice of notices) process.stdout.write(`note: ${notice}\n`);
  for (const regression of regressions) process.stdout.write(`REGRESSION: ${regression}\n`);
  return config.mode === 'check' && regressions.length > 0 ? 1 : 0;
}

function readExample(corpus: string, file: string): Example {
  try {
    return { file, documents: splitDocuments(readFileSync(`${corpus}/${file}`, 'utf8')) };
  } catch (error) {
    return { file, documents: [], error: (error as Error).message.split('\n')[0]! };
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`conformance: ${error.message}\n`);
    process.exitCode = 2;
  },
);
