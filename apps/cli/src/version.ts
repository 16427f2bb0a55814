// `regatta version` and `--version`: Argo's `argo version` lines, from what this installation holds.
import { readFileSync, statSync } from 'node:fs';

const PACKAGE = new URL('../package.json', import.meta.url);

export function versionLine(): string {
  const { version } = JSON.parse(readFileSync(PACKAGE, 'utf8')) as { version: string };
  return `regatta: v${version}`;
}

/** The version, then how this build was made: its time (that of the built entry point), Node, the platform. */
export function versionReport(): string {
  const built = statSync(new URL('./main.js', import.meta.url)).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
  return [versionLine(), `  BuildDate: ${built}`, `  NodeVersion: ${process.version}`, `  Platform: ${process.platform}/${process.arch}`].map((line) => `${line}\n`).join('');
}
