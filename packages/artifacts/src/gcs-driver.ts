// Argo's GCS artifact. Google's native client cannot be run against a local server here, so GCS goes
// through its S3 interoperability (the XML API at storage.googleapis.com, signed with HMAC keys): a GCS
// location becomes an S3 location and the S3 driver carries it. HMAC keys come from `accessKeySecret` and
// `secretKeySecret` on the gcs location, Regatta's extension of Argo's field (Argo reads a service
// account's JSON key instead, which only the native API takes: refused, naming the field). `endpoint` and
// `insecure` may point it elsewhere (a test server).
import type { Artifact, GCSLocation, S3Location, SecretKeySelector } from '@regatta/spec';
import type { ArtifactDriver, DriverFactory } from './driver.js';

const GCS_INTEROP_ENDPOINT = 'storage.googleapis.com';
/** The region GCS expects in an S3 (SigV4) signature. */
const GCS_INTEROP_REGION = 'auto';

/** A GCS location with Regatta's fields for the S3 interoperability. */
export interface GCSInteropLocation extends GCSLocation {
  accessKeySecret?: SecretKeySelector;
  secretKeySecret?: SecretKeySelector;
  endpoint?: string;
  insecure?: boolean;
}

/** The S3 location that reaches a GCS location through GCS's S3 interoperability; throws naming what it lacks or cannot take. */
export function gcsAsS3(location: GCSInteropLocation): S3Location {
  const where = `gcs bucket ${location.bucket ?? '(none)'}`;
  if (location.serviceAccountKeySecret) {
    throw new Error(`${where}: gcs.serviceAccountKeySecret is not supported (it needs Google's native API); give GCS HMAC keys as gcs.accessKeySecret and gcs.secretKeySecret`);
  }
  if (!location.accessKeySecret || !location.secretKeySecret) throw new Error(`${where}: gcs.accessKeySecret and gcs.secretKeySecret (GCS HMAC keys) are needed`);
  return {
    endpoint: location.endpoint ?? GCS_INTEROP_ENDPOINT,
    region: GCS_INTEROP_REGION,
    insecure: location.insecure ?? false,
    ...(location.bucket !== undefined && { bucket: location.bucket }),
    ...(location.key !== undefined && { key: location.key }),
    ...(location.keyFormat !== undefined && { keyFormat: location.keyFormat }),
    accessKeySecret: location.accessKeySecret,
    secretKeySecret: location.secretKeySecret,
  };
}

/** The GCS driver over an S3 driver: every call goes to `s3Driver` with the artifact's location translated. */
export function gcsDriverOver(s3Driver: DriverFactory): DriverFactory {
  return (context) => {
    const s3 = s3Driver(context);
    const asS3 = (artifact: Artifact): Artifact => {
      const { gcs, ...rest } = artifact;
      if (!gcs) throw new Error(`artifact "${artifact.name}" has no gcs location`);
      return { ...rest, s3: gcsAsS3(gcs) };
    };
    const driver: ArtifactDriver = {
      describe: (artifact) => {
        const gcs = (artifact.gcs ?? {}) as GCSInteropLocation;
        return `gcs bucket ${gcs.bucket ?? '(none)'} at ${gcs.endpoint ?? GCS_INTEROP_ENDPOINT}, key ${gcs.key ?? ''}`;
      },
      load: async (artifact, destination) => s3.load(asS3(artifact), destination),
      save: async (source, artifact) => s3.save(source, asS3(artifact)),
      openStream: async (artifact) => s3.openStream(asS3(artifact)),
      list: async (artifact) => s3.list(asS3(artifact)),
      delete: async (artifact) => s3.delete(asS3(artifact)),
      isDirectory: async (artifact) => s3.isDirectory(asS3(artifact)),
    };
    return driver;
  };
}
