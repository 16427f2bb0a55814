// Argo's Artifactory artifact: HTTP's store (`http-driver.ts`) at the artifact's URL, with basic auth from
// `usernameSecret`/`passwordSecret`, PUT to save, GET to load, and DELETE for garbage collection.
import type { Artifact, ArtifactoryLocation } from '@regatta/spec';
import type { DriverFactory } from './driver.js';
import { basicAuthHeaders, HttpObjectDriver } from './http-driver.js';

export const artifactoryDriver: DriverFactory = (context) =>
  new HttpObjectDriver({
    name: 'artifactory',
    url: (artifact) => artifact.artifactory?.url,
    target: async (artifact) => {
      const { url, usernameSecret, passwordSecret } = artifactoryLocation(artifact);
      return { url, headers: await basicAuthHeaders(context, usernameSecret, passwordSecret) };
    },
    deletes: true,
  });

function artifactoryLocation(artifact: Artifact): ArtifactoryLocation {
  if (!artifact.artifactory?.url) throw new Error(`artifact "${artifact.name}" has no artifactory.url`);
  return artifact.artifactory;
}
