// A workflow's YAML through `regatta run -o json`, as a user runs it, and its nodes found by display name.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta } from './cli.js';

/** Writes `yaml` to `<dir>/<name>.yaml` and runs it, with `args` (`-n team`); `regatta run` must say nothing on stderr. */
export async function runYaml(
  dir: string,
  name: string,
  yaml: string,
  prefix: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{ code: number | null; workflow: Workflow }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['run', file, '-o', 'json', ...args], prefix, env);
  expect(result.stderr).toBe('');
  return { code: result.code, workflow: JSON.parse(result.stdout) as Workflow };
}

export function nodeByDisplayName(workflow: Workflow, displayName: string): NodeStatus {
  const found = Object.values(workflow.status?.nodes ?? {}).find((n) => n.displayName === displayName);
  if (!found) throw new Error(`no node "${displayName}"`);
  return found;
}
