// `regatta-launcher install <dest>` in the `regatta-init` container: copies the launcher (launch.js, which
// imports only Node's modules) next to `dest` as `<dest>.mjs`, and writes `dest` itself as a small
// CommonJS script that loads it, so that `dest` runs with no extension and no package.json around it.
import { copyFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const LAUNCH_MODULE = fileURLToPath(new URL('./launch.js', import.meta.url));

export async function install(dest: string): Promise<void> {
  await copyFile(LAUNCH_MODULE, `${dest}.mjs`);
  const shim = [
    '#!/usr/bin/env node',
    "import(require('node:path').join(__dirname, require('node:path').basename(__filename) + '.mjs'))",
    '  .then((launcher) => launcher.launch(process.argv.slice(2), __dirname))',
    '  .then((code) => process.exit(code), (error) => (process.stderr.write(`regatta launcher: ${error.stack}\\n`), process.exit(64)));',
    '',
  ].join('\n');
  await writeFile(dest, shim, { mode: 0o755 });
}
