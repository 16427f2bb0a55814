export { ArtifactNotFoundError, type ArtifactDriver, type SecretSource } from './driver.js';
