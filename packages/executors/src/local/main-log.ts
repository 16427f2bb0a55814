// archiveLogs: the main container's output (stdout and stderr, lines in the order they came) written to a
// file while it runs, not held in memory, then saved through the artifact stores as the node's
// `main-logs` artifact (Argo's main.log) once the container has exited.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ArtifactStore } from '@regatta/artifacts';
import type { Artifact } from '@regatta/spec';
import type { ArtifactsSaved } from './artifacts.js';
import type { LogLine } from './node-process.js';

export class MainLog {
  private constructor(
    private readonly folder: string,
    private readonly file: WriteStream,
  ) {}

  static async open(): Promise<MainLog> {
    const folder = await mkdtemp(join(tmpdir(), 'regatta-main-log-'));
    const file = createWriteStream(join(folder, 'main.log'), { mode: 0o600 });
    await once(file, 'open');
    return new MainLog(folder, file);
  }

  /** `onLog`, with each line also written to the log file. */
  tee(onLog: LogLine): LogLine {
    return (stream, line) => {
      this.file.write(`${line}\n`);
      onLog(stream, line);
    };
  }

  /** Saves the log at the artifact's location and adds it to `saved` (or its failure, naming the artifact); the file is gone after. */
  async saveInto(saved: ArtifactsSaved, artifact: Artifact, store: ArtifactStore, namespace: string): Promise<void> {
    try {
      this.file.end();
      await once(this.file, 'finish');
      await store.save(this.file.path as string, artifact, namespace);
      saved.artifacts.push({ name: artifact.name, ...store.locationOf(artifact), ...(artifact.archive !== undefined && { archive: artifact.archive }) });
    } catch (error) {
      saved.error ??= `failed to save logs: artifact "${artifact.name}": ${(error as Error).message}`;
    } finally {
      await this.remove();
    }
  }

  /** For a node that ends before its main container ran. */
  async remove(): Promise<void> {
    this.file.destroy();
    await rm(this.folder, { recursive: true, force: true });
  }
}
