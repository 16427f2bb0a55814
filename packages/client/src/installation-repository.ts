// The installation's default artifact repository, Argo's workflow-controller-configmap
// `artifactRepository`: REGATTA_ARTIFACT_REPOSITORY holds its YAML (or JSON), or
// REGATTA_ARTIFACT_REPOSITORY_FILE names a file that does (a mounted ConfigMap key on Kubernetes).
// Both set is refused, so that neither silently wins. Every submitter (CLI, server, cron, event
// dispatcher) submits through the client, which reads it once per process.
import { readFileSync } from 'node:fs';
import type { ArtifactRepository } from '@regatta/spec';
import { ArtifactRepositoryError, parseArtifactRepository } from './artifact-repository.js';

const VALUE = 'REGATTA_ARTIFACT_REPOSITORY';
const FILE = 'REGATTA_ARTIFACT_REPOSITORY_FILE';

/** The repository the environment configures; undefined when neither variable is set (Regatta's local store). */
export function readInstallationRepository(env: NodeJS.ProcessEnv): ArtifactRepository | undefined {
  const value = env[VALUE] || undefined;
  const file = env[FILE] || undefined;
  if (value !== undefined && file !== undefined) throw new ArtifactRepositoryError(`${VALUE} and ${FILE} are both set: set one of them`);
  if (value !== undefined) return parseArtifactRepository(value, VALUE);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ArtifactRepositoryError(`${FILE}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseArtifactRepository(text, `${FILE} (${file})`);
}

let read: { repository: ArtifactRepository | undefined } | undefined;

/** This process's installation repository, read from its environment at first use (a refusal is thrown each time). */
export function installationRepository(): ArtifactRepository | undefined {
  read ??= { repository: readInstallationRepository(process.env) };
  return read.repository;
}
