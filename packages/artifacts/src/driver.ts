// One artifact store, as the executors, the server and the garbage collector see it: Argo's
// ArtifactDriver. A driver moves bytes between a path on this host and a location of its store; it never
// archives (packing is `archive.ts`'s, around it) and never holds a whole artifact in memory.
import type { Readable } from 'node:stream';
import type { Artifact, SecretKeySelector } from '@regatta/spec';

/** Reads a Secret's key in a namespace; how (Redis, encrypted; Kubernetes' API) is the installation's. */
export interface SecretSource {
  /** The value; a `SecretNotFoundError` names the Secret or key that is missing. */
  secretValue(namespace: string, selector: SecretKeySelector): Promise<string>;
}

/** Nothing is stored at the location: the node's problem (a missing input), not the host's. */
export class ArtifactNotFoundError extends Error {
  readonly code = 'ARTIFACT_NOT_FOUND';
  constructor(
    readonly where: string,
    detail?: string,
  ) {
    super(`${where} is not in the artifact repository${detail === undefined ? '' : `: ${detail}`}`);
  }
}

/** What a driver resolves credentials with: Secrets are read in the workflow's namespace only. */
export interface DriverContext {
  namespace: string;
  secrets: SecretSource;
}

/** Makes the driver of one store for one namespace's artifacts; cheap, so made per use (clients may be cached inside). */
export type DriverFactory = (context: DriverContext) => ArtifactDriver;

export interface ArtifactDriver {
  /** The store and location in words, for messages (`s3 bucket b at http://127.0.0.1:9000, key k`): never a secret. */
  describe(artifact: Artifact): string;
  /** Writes the object (or tree of objects) at the artifact's location to `destination`, a file or folder to be made. */
  load(artifact: Artifact, destination: string): Promise<void>;
  /** Stores the file or folder at `source` at the artifact's location, appearing whole or not at all where the store allows. */
  save(source: string, artifact: Artifact): Promise<void>;
  /** The object at the location as a stream (logs and the UI's downloads). */
  openStream(artifact: Artifact): Promise<Readable>;
  /** Every key under the location's key, sorted, relative to the store (a data template's listing). */
  list(artifact: Artifact): Promise<string[]>;
  /** Removes the object or tree at the location; one already gone is not an error (garbage collection repeats). */
  delete(artifact: Artifact): Promise<void>;
  /** Whether the location holds a tree of objects rather than one. */
  isDirectory(artifact: Artifact): Promise<boolean>;
}
