export { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory, type SecretSource } from './driver.js';
export { azureDriver } from './azure-driver.js';
export { httpDriver } from './http-driver.js';
export { artifactoryDriver } from './artifactory-driver.js';
export { gitDriver } from './git-driver.js';
export { gcsAsS3, gcsDriverOver, type GCSInteropLocation } from './gcs-driver.js';
