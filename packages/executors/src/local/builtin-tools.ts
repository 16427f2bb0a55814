// Regatta's own stand-ins for tools of Argo's test images (argosay, cowsay), run by the worker's Node.
// The source goes on the command line (`node -e`), not the path of the file: a package that lies under
// /tmp (a CI checkout) would be hidden from the node by its private /tmp.
import { readFileSync } from 'node:fs';

export type BuiltinTool = 'argosay' | 'cowsay';

const sources = new Map<BuiltinTool, string>();

/** The argv that runs `tool`; its arguments follow. */
export function builtinArgv(tool: BuiltinTool): string[] {
  let source = sources.get(tool);
  if (source === undefined) {
    source = readFileSync(new URL(`./tools/${tool}.js`, import.meta.url), 'utf8');
    sources.set(tool, source);
  }
  return [process.execPath, '--input-type=module', '-e', source, '--'];
}
