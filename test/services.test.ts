// The system as separate processes: one scheduler, two workers sharing one workflow's nodes, and the
// CLI verbs that read and remove workflows.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-services-'));

const WIDE = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wide}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${Array.from({ length: 12 }, (_, i) => `      - {name: t${i}, template: nap}`).join('\n')}
  - name: nap
    container: {image: busybox, command: [sh, -c, "sleep 0.3; echo napped"]}
`;

beforeAll(async () => {
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  for (let i = 0; i < 2; i++) services.push(startService(['worker', '--concurrency', '2'], prefix, { LOG_LEVEL: 'debug' }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('separate processes', () => {
  it('two workers share the nodes of one workflow', async () => {
    const file = join(dir, 'wide.yaml');
    writeFileSync(file, WIDE);
    const submitted = await regatta(['submit', file, '--watch', '-o', 'json'], prefix);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const workflow = JSON.parse(submitted.stdout) as Workflow;
    expect(workflow.status?.phase).toBe('Succeeded');
    const nodeIds = Object.values(workflow.status!.nodes!).filter((n) => n.type === 'Pod').map((n) => n.id);
    expect(nodeIds).toHaveLength(12);
    const [first, second] = [services[1]!.output(), services[2]!.output()];
    const ranOn = (log: string) => nodeIds.filter((id) => log.includes(`"node":"${id}"`) && log.includes('node finished'));
    expect(ranOn(first).length).toBeGreaterThan(0);
    expect(ranOn(second).length).toBeGreaterThan(0);
    expect(new Set([...ranOn(first), ...ranOn(second)]).size).toBe(12);
  });

  it('submit prints the name; list, get, logs and delete work on it', async () => {
    const submitted = await regatta(['submit', 'examples/hello-world.yaml', '--generate-name', 'greet-'], prefix);
    expect(submitted.code).toBe(0);
    const name = submitted.stdout.trim();
    expect(name).toMatch(/^greet-[a-z0-9]{5}$/);

    // Wait for completion through the CLI itself.
    let phase = '';
    for (let i = 0; i < 100 && phase !== 'Succeeded'; i++) {
      const got = await regatta(['get', name, '-o', 'json'], prefix);
      phase = (JSON.parse(got.stdout) as Workflow).status?.phase ?? '';
      if (phase !== 'Succeeded') await new Promise((r) => setTimeout(r, 100));
    }
    expect(phase).toBe('Succeeded');

    const listed = await regatta(['list'], prefix);
    expect(listed.stdout).toMatch(new RegExp(`^${name}\\s+Succeeded`, 'm'));

    const tree = await regatta(['get', name], prefix);
    expect(tree.stdout).toMatch(/Status:\s+Succeeded/);

    const logs = await regatta(['logs', name], prefix);
    expect(logs.stdout).toBe(`${name}: hello world\n`);

    const deleted = await regatta(['delete', name], prefix);
    expect(deleted.code).toBe(0);
    const missing = await regatta(['get', name], prefix);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`workflow "${name}" not found`);
  });

  it('delete stops the running nodes of the workflow', async () => {
    const marker = `delete-me-${Date.now()}`;
    const file = join(dir, 'long.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: long}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: python, command: [python3, -c, "import time; time.sleep(60)", ${marker}]}
`,
    );
    expect((await regatta(['submit', file], prefix)).code).toBe(0);
    await expect.poll(() => processesWith(marker).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const deleted = await regatta(['delete', 'long'], prefix);
    expect(deleted.code).toBe(0);
    await expect.poll(() => processesWith(marker).length, { timeout: 10_000 }).toBe(0);
    expect((await regatta(['get', 'long'], prefix)).code).toBe(1);
  });

  it('refuses a second workflow with the same name', async () => {
    const file = join(dir, 'fixed-name.yaml');
    writeFileSync(file, WIDE.replace('name: wide', 'name: fixed').replace(/sleep 0.3; /g, ''));
    expect((await regatta(['submit', file], prefix)).code).toBe(0);
    const again = await regatta(['submit', file], prefix);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('workflow "fixed" already exists in namespace "default"');
  });
});

/** Pids of live processes whose command line contains the marker. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}
