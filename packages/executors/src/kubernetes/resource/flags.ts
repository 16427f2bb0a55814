// A resource template's `flags`, which Argo hands to kubectl as they are. Without kubectl, the ones
// that choose what the action works on are read: a target (`configmap my-name`), `--selector`/`-l`,
// `--namespace`/`-n`; `--ignore-not-found` (Argo's delete has it always) and `--validate` (the API
// server validates) are taken; any other flag is refused by name rather than silently ignored.

export interface ResourceFlags {
  /** kubectl's resource type (`configmap`, `jobs.batch`), when the flags name the target. */
  type?: string;
  name?: string;
  selector?: string;
  namespace?: string;
}

const WITH_VALUE: Record<string, keyof ResourceFlags> = { '--selector': 'selector', '-l': 'selector', '--namespace': 'namespace', '-n': 'namespace' };
const TAKEN = new Set(['--ignore-not-found', '--validate']);

export function parseFlags(flags: readonly string[]): ResourceFlags {
  const parsed: ResourceFlags = {};
  const positional: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (!flag.startsWith('-')) {
      positional.push(flag);
      continue;
    }
    const [name = '', inline] = flag.split(/=(.*)/s, 2);
    const field = WITH_VALUE[name];
    if (field) {
      const value = inline ?? flags[++i];
      if (value === undefined || value === '') throw new Error(`flags: ${name} needs a value`);
      parsed[field] = value;
    } else if (!TAKEN.has(name)) throw new Error(`flags: ${name} is not supported (docs/resource-templates.md lists the flags read)`);
  }
  // kubectl's `type/name` is the same as `type name`.
  const [first, second, ...rest] = positional.length === 1 && positional[0]!.includes('/') ? positional[0]!.split('/') : positional;
  if (rest.length > 0) throw new Error(`flags: one resource type and one name at most, found "${positional.join(' ')}"`);
  if (first !== undefined) parsed.type = first;
  if (second !== undefined) parsed.name = second;
  return parsed;
}
