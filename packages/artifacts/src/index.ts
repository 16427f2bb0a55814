export { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory, type SecretSource } from './driver.js';
export { ArtifactStore, NO_SECRET_STORE, type ArtifactStoreOptions } from './artifact-store.js';
export type { UnpackLimits } from './unpack.js';
// Safe paths on the host, which the local executor walks with too.
export { ensurePrivateFolder } from './private-folder.js';
export { BeneathError, beneathFailure, resolveBeneath, WRITE_NO_FOLLOW, type BeneathOptions } from './resolve-beneath.js';
export { azureDriver } from './azure-driver.js';
export { httpDriver } from './http-driver.js';
export { artifactoryDriver } from './artifactory-driver.js';
export { gitDriver } from './git-driver.js';
export { gcsAsS3, gcsDriverOver, type GCSInteropLocation } from './gcs-driver.js';
