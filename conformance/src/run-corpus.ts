// One run over the corpus against a system started for it: the examples' Secrets made and their
// templates and ConfigMaps applied first,
// then the selected files' workflows several at once; the processes and the run's Redis keys are
// gone when it returns, or when the runner is interrupted.
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { connectRedis, Keys, readInstance, WorkflowStore } from '@regatta/store';
import { applyDocument } from './apply.js';
import { ArtifactEnvironment } from './artifact-environment.js';
import type { ConformanceConfig } from './config.js';
import { DocumentFiles } from './document-files.js';
import { createExampleSecrets, exampleSecrets } from './example-secrets.js';
import { APPLY_ORDER, documentLabel, type ExampleDocument } from './documents.js';
import type { Manifest } from './manifest.js';
import { OrderedPrinter } from './ordered-printer.js';
import { combineOutcomes, type DocumentOutcome, type FileOutcome } from './outcome.js';
import { KubeCluster } from './kube-cluster.js';
import { forEachConcurrently } from './pool.js';
import { RegattaCli } from './regatta-cli.js';
import { fileWidth } from './report.js';
import { runCron } from './run-cron.js';
import { runWorkflow } from './run-workflow.js';
import { deleteKeys, RegattaSystem } from './system.js';

export interface Example {
  file: string;
  documents: ExampleDocument[];
  /** Set when the file could not be read as YAML documents at all. */
  error?: string;
}

export async function runCorpus(config: ConformanceConfig, all: Example[], selected: Example[], manifest: Manifest, resultsDir: string): Promise<FileOutcome[]> {
  return withSystem(config, resultsDir, (session) => {
    const adapt = (example: Example): Example => ({ ...example, documents: example.documents.map((document) => ({ ...document, text: session.artifacts.adapt(document.text) })) });
    return runExamples(session, config, all.map(adapt), selected.map(adapt), manifest);
  });
}

interface Session {
  redis: Redis;
  prefix: string;
  cli: RegattaCli;
  files: DocumentFiles;
  /** Argo e2e's artifact repository on a local S3 server. */
  artifacts: ArtifactEnvironment;
  /** The cluster the pods run in (`--executor kubernetes`). */
  kube?: KubeCluster;
}

/** Starts a scheduler and a worker under a fresh prefix; stops them and removes the prefix's keys after. */
async function withSystem<T>(config: ConformanceConfig, resultsDir: string, work: (session: Session) => Promise<T>): Promise<T> {
  mkdirSync(resultsDir, { recursive: true });
  const prefix = `conformance-${randomUUID().slice(0, 8)}`;
  // The run's own key for the Secrets it makes (gone with its keys).
  const env = { ...process.env, REDIS_URL: config.redisUrl, REGATTA_PREFIX: prefix, LOG_LEVEL: 'warn', REGATTA_SECRETS_KEY: randomBytes(32).toString('base64') };
  const redis = connectRedis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const log = createWriteStream(`${resultsDir}system.log`);
  const kube = config.executor === 'kubernetes' ? await KubeCluster.start(config.repoRoot, config.corpus, log) : undefined;
  // The local kubelet's pods are processes of this host: they reach the S3 server on 127.0.0.1 as the local executor's nodes do.
  const artifacts = await ArtifactEnvironment.start();
  Object.assign(env, artifacts.env);
  const system = new RegattaSystem({ ...env, ...kube?.workerEnv() }, prefix, log, kube?.workerArgs());
  const files = new DocumentFiles();
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      await system.stop();
      await kube?.stop();
      await artifacts.stop();
      await deleteKeys(redis, config.redisUrl, prefix);
      await redis.quit();
      files.remove();
      log.end();
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the scheduler and worker, removing ${prefix}:*\n`);
    void shutdown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // Whatever happens to the runner, the processes it started do not outlive it.
  process.once('exit', () => {
    system.signalStop();
    kube?.signalStop();
    artifacts.signalStop();
  });
  try {
    await system.start(redis);
    return await work({ redis, prefix, cli: new RegattaCli(env), files, artifacts, kube });
  } finally {
    await shutdown();
  }
}

/**
 * Applies the templates and ConfigMaps of every file (a filtered run's workflows may use them), then
 * runs the selected files' workflows several at once, printing each file's line in corpus order as
 * soon as it and the ones before it are done.
 */
async function runExamples(session: Session, config: ConformanceConfig, all: Example[], selected: Example[], manifest: Manifest): Promise<FileOutcome[]> {
  const { redis, prefix, cli, files, artifacts, kube } = session;
  // Each file's outcomes by document position, whatever order they finish in.
  const byFile = new Map<string, DocumentOutcome[]>(selected.map(({ file }) => [file, []]));
  const record = (file: string, index: number, outcome: DocumentOutcome) => {
    const outcomes = byFile.get(file);
    if (outcomes) outcomes[index] = outcome;
  };
  const runnable = all.filter(({ file }) => manifest[file]?.skip === undefined);
  const secrets = exampleSecrets(artifacts.secrets);
  await createExampleSecrets(cli, config.repoRoot, secrets);
  // Pods get credentials as secret volumes of Secrets in their namespace, not from Regatta's store.
  await kube?.createSecrets(secrets);
  await applyEnvironmentConfigMap(cli, files, artifacts.configMap);
  for (const kind of APPLY_ORDER) {
    const documents = runnable.flatMap(({ file, documents }) =>
      documents.filter(({ plan }) => plan.action === 'apply' && plan.kind === kind).map((document) => ({ file, document })),
    );
    await forEachConcurrently(documents, config.concurrency, async ({ file, document }) =>
      record(file, document.index, await applyDocument(cli, files, file, document, kind)),
    );
  }

  const jobs: { file: string; document: ExampleDocument }[] = [];
  for (const example of selected) {
    const skip = manifest[example.file]?.skip;
    if (example.error !== undefined) record(example.file, 0, { document: 'file', class: 'fail', reason: example.error });
    else if (skip !== undefined) record(example.file, 0, { document: 'file', class: 'skipped', reason: `manifest: ${skip}` });
    else {
      for (const document of example.documents) {
        const { plan } = document;
        if (plan.action === 'submit' || plan.action === 'cron') jobs.push({ file: example.file, document });
        else if (plan.action === 'unsupported' || plan.action === 'not-a-workflow') {
          record(example.file, document.index, { document: documentLabel(document), class: plan.action === 'unsupported' ? 'unsupported' : 'skipped', reason: plan.reason });
        }
      }
    }
  }

  const order = selected.map(({ file }) => file);
  const printer = new OrderedPrinter(order, fileWidth(order));
  const pending = new Map<string, number>();
  for (const { file } of jobs) pending.set(file, (pending.get(file) ?? 0) + 1);
  const done = (file: string) => printer.done(combineOutcomes(file, byFile.get(file)!.filter(Boolean)));
  for (const file of order) if (!pending.has(file)) done(file);

  // Argo labels the examples that take long `no-test: duration`; started first, they do not finish last.
  jobs.sort((a, b) => Number(b.document.noTest === 'duration') - Number(a.document.noTest === 'duration'));
  const { shards } = await readInstance(redis, new Keys(prefix));
  const installation = () => artifacts.repository;
  const context = { redis, prefix, shards, store: new WorkflowStore(redis, prefix), timeoutS: config.timeoutS, installation };
  await forEachConcurrently(jobs, config.concurrency, async ({ file, document }) => {
    // Whatever one example does (or the store does while it runs), the others still run.
    const run = document.plan.action === 'cron' ? runCron(context, cli, files, file, document, manifest[file]) : runWorkflow(context, file, document, manifest[file]);
    const outcome = await run.catch(
      (error: Error): DocumentOutcome => ({ document: documentLabel(document), class: 'fail', reason: `conformance runner: ${error.message}` }),
    );
    record(file, document.index, outcome);
    const left = pending.get(file)! - 1;
    pending.set(file, left);
    if (left === 0) done(file);
  });
  return printer.outcomes();
}

/** The environment's `artifact-repositories` ConfigMap, stored as a user stores one; the run stops if it cannot be. */
async function applyEnvironmentConfigMap(cli: RegattaCli, files: DocumentFiles, text: string): Promise<void> {
  const file = 'artifact-repositories.yaml';
  const { code, stderr } = await cli.run(['configmap', 'apply', '-f', file], files.write(file, text));
  if (code !== 0) throw new Error(`regatta configmap apply ${file} failed: ${stderr.trim()}`);
}
