// Regatta's own stand-ins for tools of Argo's test images (argosay, cowsay), run by the worker's Node.
// The source goes on the command line (`node -e`) or into the container's root, never as the path of the
// package's file: a package that lies under /tmp (a CI checkout) would be hidden by the node's private /tmp.
import { readFileSync } from 'node:fs';

export type BuiltinTool = 'argosay' | 'cowsay';

const sources = new Map<BuiltinTool, string>();

/** The tool's ES module source. */
export function builtinSource(tool: BuiltinTool): string {
  let source = sources.get(tool);
  if (source === undefined) {
    source = readFileSync(new URL(`./tools/${tool}.js`, import.meta.url), 'utf8');
    sources.set(tool, source);
  }
  return source;
}

/** The argv that runs `tool`; its arguments follow. */
export function builtinArgv(tool: BuiltinTool): string[] {
  return [process.execPath, '--input-type=module', '-e', builtinSource(tool), '--'];
}
