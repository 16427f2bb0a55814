// The Secrets Argo's examples expect to exist, made before any workflow runs as their comments say
// (`kubectl create secret generic my-secret --from-literal=mypassword=S00perS3cretPa55word` for
// secrets.yaml), through `regatta secret create` under the run's own encryption key.
import type { ExampleSecret } from './artifact-environment.js';
import type { RegattaCli } from './regatta-cli.js';

const EXAMPLE_SECRETS: ExampleSecret[] = [{ name: 'my-secret', literals: ['mypassword=S00perS3cretPa55word'] }];

/** `environment`: the Secrets of the run's environment (the artifact store's credentials), made beside them. */
export async function createExampleSecrets(cli: RegattaCli, cwd: string, environment: ExampleSecret[] = []): Promise<void> {
  for (const { name, literals } of [...EXAMPLE_SECRETS, ...environment]) {
    const { code, stderr } = await cli.run(['secret', 'create', name, ...literals.flatMap((literal) => ['--from-literal', literal])], cwd);
    if (code !== 0) throw new Error(`regatta secret create ${name} failed: ${stderr.trim()}`);
  }
}
