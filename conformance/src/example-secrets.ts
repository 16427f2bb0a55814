// The Secrets Argo's examples expect to exist, made before any workflow runs as their comments say
// (`kubectl create secret generic my-secret --from-literal=mypassword=S00perS3cretPa55word` for
// secrets.yaml), through `regatta secret create` under the run's own encryption key.
import type { RegattaCli } from './regatta-cli.js';

const EXAMPLE_SECRETS: { name: string; literals: string[] }[] = [{ name: 'my-secret', literals: ['mypassword=S00perS3cretPa55word'] }];

export async function createExampleSecrets(cli: RegattaCli, cwd: string): Promise<void> {
  for (const { name, literals } of EXAMPLE_SECRETS) {
    const { code, stderr } = await cli.run(['secret', 'create', name, ...literals.flatMap((literal) => ['--from-literal', literal])], cwd);
    if (code !== 0) throw new Error(`regatta secret create ${name} failed: ${stderr.trim()}`);
  }
}
