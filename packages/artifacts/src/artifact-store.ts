// The artifact stores as the executors and the server use them: one object that picks the driver by the
// field an artifact's location is written in (`s3:`, `azure:`, …; a bare `key` is the local folder
// store), packs what is saved per the artifact's archive strategy and unpacks what is loaded by what it
// holds, so a driver only moves bytes. Stores Regatta cannot run (HDFS, OSS's own protocol, plugins, any
// without a driver) are refused naming the field, never ignored.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Artifact } from '@regatta/spec';
import { archiveFormat, detectArchive, pack } from './archive.js';
import type { ArtifactDriver, DriverFactory, SecretSource } from './driver.js';
import { LocalDriver } from './local-driver.js';
import { BeneathError } from './resolve-beneath.js';
import { DEFAULT_UNPACK_LIMITS, unpack, UnsafeArchiveError, type UnpackLimits } from './unpack.js';
import { s3Driver } from './s3-driver.js';
import { artifactoryDriver } from './artifactory-driver.js';
import { azureDriver } from './azure-driver.js';
import { gcsDriverOver } from './gcs-driver.js';
import { gitDriver } from './git-driver.js';
import { httpDriver } from './http-driver.js';

const s3 = s3Driver();

/** The remote stores by the field their location is written in: adding a store is one line here. */
export const STORE_DRIVERS: Readonly<Record<string, DriverFactory>> = {
  s3,
  // GCS through its S3 interoperability (gcs-driver.ts says why).
  gcs: gcsDriverOver(s3),
  azure: azureDriver,
  http: httpDriver,
  artifactory: artifactoryDriver,
  git: gitDriver,
};

/** Every field Argo writes a location in (raw data aside, which the executors write themselves). */
const ARGO_LOCATION_FIELDS = ['s3', 'azure', 'gcs', 'git', 'http', 'artifactory', 'hdfs', 'oss', 'plugin'];

/** Where no secret store is configured: every read is refused, saying so. */
export const NO_SECRET_STORE: SecretSource = {
  secretValue: async (namespace, { name, key }) => {
    throw new Error(`no secret store configured: cannot read key ${key} of secret ${name} in namespace ${namespace}`);
  },
};

export interface ArtifactStoreOptions {
  /** The local folder store's folder (REGATTA_ARTIFACTS_DIR); without one, a bare `key` has nowhere to go. */
  localRoot?: string;
  /** Where credentials in Secrets are read. */
  secrets?: SecretSource;
  /** Drivers to use in place of (or beside) STORE_DRIVERS, by field. */
  drivers?: Record<string, DriverFactory>;
  /** Where archives are packed before a save (default: the system's temporary folder). */
  tempDir?: string;
  /** Caps on what one loaded archive may unpack to. */
  limits?: UnpackLimits;
}

export class ArtifactStore {
  readonly localRoot?: string;
  private readonly local?: LocalDriver;
  private readonly drivers: Record<string, DriverFactory>;
  private readonly secrets: SecretSource;
  private readonly tempDir: string;
  private readonly limits: UnpackLimits;

  constructor(options: ArtifactStoreOptions = {}) {
    if (options.localRoot !== undefined) {
      this.local = new LocalDriver(options.localRoot);
      this.localRoot = this.local.root;
    }
    this.drivers = { ...STORE_DRIVERS, ...options.drivers };
    this.secrets = options.secrets ?? NO_SECRET_STORE;
    this.tempDir = options.tempDir ?? tmpdir();
    this.limits = options.limits ?? DEFAULT_UNPACK_LIMITS;
  }

  /** Whether the artifact lies in the local folder store: a bare `key`, no other store's location. */
  isLocal(artifact: Artifact): boolean {
    return artifact.key !== undefined && this.fieldOf(artifact) === undefined;
  }

  /** Whether the artifact names a location in some store, one Regatta runs or not (raw data and a bare declaration do not). */
  locates(artifact: Artifact): boolean {
    return artifact.key !== undefined || this.fieldOf(artifact) !== undefined;
  }

  /** The fields that say where the artifact lies (`key`, `s3`, …), not those of its declaration. */
  locationOf(artifact: Artifact): Partial<Artifact> {
    const location: Partial<Artifact> = {};
    for (const field of ['key', ...Object.keys(this.drivers)]) if (artifact[field] !== undefined) location[field] = artifact[field];
    return location;
  }

  /** Packs the file or folder at `source` per the artifact's archive strategy and stores it at its location. */
  async save(source: string, artifact: Artifact, namespace: string): Promise<void> {
    const driver = this.driverOf(artifact, namespace);
    const format = archiveFormat(artifact.archive);
    if (format === undefined) return driver.save(source, artifact);
    const temp = await mkdtemp(join(this.tempDir, 'regatta-pack-'));
    try {
      const packed = join(temp, 'packed');
      await pack(source, format, packed, artifact.archive);
      await driver.save(packed, artifact);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /**
   * Places the artifact at `destination`: an archive (by its bytes, unless `archive: {none: {}}`) is
   * unpacked, its one entry placed at the path itself, several as a folder there, as Argo's executor does.
   */
  async load(artifact: Artifact, destination: string, namespace: string): Promise<void> {
    const driver = this.driverOf(artifact, namespace);
    await mkdir(dirname(destination), { recursive: true });
    // Beside the destination (the same file system), so that placing it is a rename.
    const temp = await mkdtemp(join(dirname(destination), '.regatta-load-'));
    try {
      const object = join(temp, 'object');
      await driver.load(artifact, object);
      const isFile = (await stat(object)).isFile();
      const format = artifact.archive?.none === undefined && isFile ? await detectArchive(object) : undefined;
      if (format === undefined) return await rename(object, destination);
      const unpacked = join(temp, 'unpacked');
      await mkdir(unpacked);
      await unpack(object, format, unpacked, this.limits).catch((error: Error) => {
        // A path through a link the archive made is refused by resolveBeneath, as unsafe as any other.
        const unsafe = error instanceof UnsafeArchiveError || error instanceof BeneathError;
        throw new Error(`${driver.describe(artifact)}: ${unsafe ? 'unsafe archive refused' : 'cannot unpack'}: ${error.message}`);
      });
      const entries = await readdir(unpacked);
      await rename(entries.length === 1 ? join(unpacked, entries[0]!) : unpacked, destination);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /** Every key under the artifact's location, sorted (a data template's source). */
  list(artifact: Artifact, namespace: string): Promise<string[]> {
    return this.driverOf(artifact, namespace).list(artifact);
  }

  /** Removes what is stored at the artifact's location; nothing there is not an error. */
  delete(artifact: Artifact, namespace: string): Promise<void> {
    return this.driverOf(artifact, namespace).delete(artifact);
  }

  /** The stored object as it is (an archive stays packed). */
  openStream(artifact: Artifact, namespace: string): Promise<Readable> {
    return this.driverOf(artifact, namespace).openStream(artifact);
  }

  /** The field the artifact's location is written in, a registered store's first. */
  private fieldOf(artifact: Artifact): string | undefined {
    return [...Object.keys(this.drivers), ...ARGO_LOCATION_FIELDS].find((field) => artifact[field] !== undefined && artifact[field] !== null);
  }

  private driverOf(artifact: Artifact, namespace: string): ArtifactDriver {
    const field = this.fieldOf(artifact);
    if (field !== undefined) {
      const driver = this.drivers[field];
      if (!driver) throw new Error(`artifact "${artifact.name}": ${field} artifacts are not supported here (field ${field}); use one of ${Object.keys(this.drivers).join(', ')}`);
      return driver({ namespace, secrets: this.secrets });
    }
    if (artifact.key === undefined) throw new Error(`artifact "${artifact.name}" names no location in any artifact store`);
    if (!this.local) throw new Error('this worker has no artifact repository');
    return this.local;
  }
}
