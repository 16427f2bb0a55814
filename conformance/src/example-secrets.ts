// The Secrets Argo's examples expect to exist, made before any workflow runs as their comments say
// (`kubectl create secret generic my-secret --from-literal=mypassword=S00perS3cretPa55word` for
// secrets.yaml), through `regatta secret create` under the run's own encryption key.
import type { ExampleSecret } from './artifact-environment.js';
import type { RegattaCli } from './regatta-cli.js';

const EXAMPLE_SECRETS: ExampleSecret[] = [{ name: 'my-secret', data: { mypassword: 'S00perS3cretPa55word' } }];

/** The examples' Secrets and `environment`'s (the artifact store's credentials). */
export function exampleSecrets(environment: ExampleSecret[]): ExampleSecret[] {
  return [...EXAMPLE_SECRETS, ...environment];
}

/** Makes `secrets` in Regatta's own store, where the local executor and the scheduler's artifactGC read them. */
export async function createExampleSecrets(cli: RegattaCli, cwd: string, secrets: ExampleSecret[]): Promise<void> {
  for (const { name, data } of secrets) {
    const literals = Object.entries(data).map(([key, value]) => `${key}=${value}`);
    const { code, stderr } = await cli.run(['secret', 'create', name, ...literals.flatMap((literal) => ['--from-literal', literal])], cwd);
    if (code !== 0) throw new Error(`regatta secret create ${name} failed: ${stderr.trim()}`);
  }
}
