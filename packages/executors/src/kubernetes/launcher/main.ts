#!/usr/bin/env node
// `regatta-launcher`, the program in Regatta's image that the pod's executor containers run:
//   install <dest>   (regatta-init) copy the launcher into the shared run folder, place the input artifacts
//   wait             (wait) wait for the main containers, report their outputs on the pod
//   -- <argv…>       run a command under the launcher (as the copy in the run folder does)
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '@regatta/spec';
import { RUN_DIR } from '../emissary.js';
import { artifactStore } from './artifact-store.js';
import { fileSecretSource } from './file-secrets.js';
import { install } from './install.js';
import { launch } from './launch.js';
import { placeInputArtifacts } from './place-inputs.js';
import { awaitOutputs, reportOutputs, waitEnvironment } from './wait-reporter.js';

async function main(args: string[]): Promise<number> {
  const runDir = process.env.REGATTA_RUN_DIR ?? RUN_DIR;
  switch (args[0]) {
    case 'install': {
      if (!args[1]) throw new Error('usage: regatta-launcher install <dest>');
      await install(args[1]);
      const inputs = process.env.REGATTA_INPUT_ARTIFACTS;
      if (inputs) await placeInputArtifacts(JSON.parse(inputs) as Artifact[], join(runDir, 'inputs'), artifactStore(process.env, fileSecretSource()), process.env.REGATTA_NAMESPACE ?? '');
      return 0;
    }
    case 'wait': {
      const environment = waitEnvironment(runDir);
      await reportOutputs(environment.pod, await awaitOutputs(environment));
      return 0;
    }
    case '--':
      return launch(args, runDir);
    default:
      throw new Error(`usage: regatta-launcher install <dest> | wait | -- <command> [args…] (got "${args[0] ?? ''}")`);
  }
}

/** Kubernetes' default terminationMessagePath: what is written there becomes the container's terminated message, so the node's. */
const TERMINATION_LOG = '/dev/termination-log';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: Error) => {
    process.stderr.write(`regatta-launcher: ${error.message}\n`);
    await writeFile(TERMINATION_LOG, error.message).catch(() => undefined);
    process.exit(64);
  },
);
