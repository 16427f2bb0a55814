// The artifact environment Argo's e2e tests give its examples, made for the run: Argo installs MinIO as
// `minio:9000` with the bucket `my-bucket` and the Secret `my-minio-cred` (keys accesskey and secretkey),
// makes it the controller's default artifact repository (archiveLogs on), and gives the namespace an
// `artifact-repositories` ConfigMap whose annotated default is `default-v1`, beside a key `my-key`.
// Here the S3-compatible server is s3rver on a free port of 127.0.0.1, started and stopped with the run;
// an example that names Argo's `minio:9000` endpoint gets the local server's address instead, the one
// change made to the examples' text (as Argo's e2e provides a `minio` host, this provides the server).
import { stringify } from 'yaml';
import { startS3Server, type S3Server } from '@regatta/benchmarks/s3-server';
import type { ArtifactRepository } from '@regatta/spec';

const BUCKET = 'my-bucket';
const CREDENTIALS = 'my-minio-cred';
const NAMESPACE = 'default';
/** Argo's e2e MinIO as an example's S3 `endpoint:` names it. */
const MINIO_ENDPOINT = /(\bendpoint:\s*["']?)minio:9000\b/g;

export interface ExampleSecret {
  name: string;
  /** Each key's value. */
  data: Record<string, string>;
}

export class ArtifactEnvironment {
  private constructor(private readonly server: S3Server) {}

  static async start(): Promise<ArtifactEnvironment> {
    return new ArtifactEnvironment(await startS3Server([BUCKET]));
  }

  /** Argo e2e's repository at the local server: the installation's default and each key of the ConfigMap. */
  get repository(): ArtifactRepository {
    const secret = (key: string) => ({ name: CREDENTIALS, key });
    return { archiveLogs: true, s3: { bucket: BUCKET, endpoint: this.server.hostPort, insecure: true, accessKeySecret: secret('accesskey'), secretKeySecret: secret('secretkey') } };
  }

  /** For every process that submits (the CLI, the scheduler's cron loop; the runner passes the repository itself). */
  get env(): Record<string, string> {
    return { REGATTA_ARTIFACT_REPOSITORY: JSON.stringify(this.repository) };
  }

  /** The server's credentials as the Secret the examples and the repository name. */
  get secrets(): ExampleSecret[] {
    return [{ name: CREDENTIALS, data: { accesskey: this.server.accessKeyId, secretkey: this.server.secretAccessKey } }];
  }

  /** The namespace's `artifact-repositories` ConfigMap, for `regatta configmap apply -f`. */
  get configMap(): string {
    const value = stringify(this.repository);
    return stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'artifact-repositories', namespace: NAMESPACE, annotations: { 'workflows.argoproj.io/default-artifact-repository': 'default-v1' } },
      data: { 'default-v1': value, 'my-key': value },
    });
  }

  /** The example's text with Argo's e2e MinIO endpoint mapped to the local server. */
  adapt(text: string): string {
    return mapMinioEndpoint(text, this.server.hostPort);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** For an exit that cannot wait. */
  signalStop(): void {
    this.server.signalStop();
  }
}

/** `text` with each S3 `endpoint: minio:9000` (Argo's e2e MinIO) naming `hostPort` instead; nothing else changes. */
export function mapMinioEndpoint(text: string, hostPort: string): string {
  return text.replace(MINIO_ENDPOINT, `$1${hostPort}`);
}
