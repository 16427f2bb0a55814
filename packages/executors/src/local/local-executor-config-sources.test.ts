// ConfigMaps and Secrets as a node on this host receives them: env, envFrom, configMap and secret volumes,
// read when the node starts, and the Secret values kept out of what Regatta says about the node.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigSources } from '../config-sources/config-sources.js';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const bytes = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value)]));
/** The installation's objects, by `<namespace>/<name>`, as a store or the API would give them. */
const secrets: Record<string, Record<string, Buffer>> = {
  'default/my-secret': bytes({ mypassword: 'S00perS3cretPa55word', user: 'admin' }),
  'default/db': bytes({ HOST: 'db.local', PASSWORD: 'hunter2-db', 'not a name': 'skipped' }),
  'team/my-secret': bytes({ mypassword: 'team-password' }),
};
const configMaps: Record<string, Record<string, Buffer>> = { 'default/settings': bytes({ greeting: 'hello', 'log.level': 'debug' }) };
const sources: ConfigSources = {
  configMap: async (namespace, name) => configMaps[`${namespace}/${name}`],
  secret: async (namespace, name) => secrets[`${namespace}/${name}`],
};

const workDir = mkdtempSync(join(tmpdir(), 'regatta-executor-sources-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const executor = new LocalExecutor({ workDir, killGraceMs: 2_000, sources });

function request(container: NodeRunRequest['container'], extra: Partial<NodeRunRequest> = {}, namespace = 'default'): NodeRunRequest {
  return {
    workflow: { name: 'wf', namespace, uid: 'uid' },
    nodeId: `node-${randomUUID().slice(0, 8)}`,
    nodeName: 'wf',
    attempt: 0,
    templateName: 'main',
    container: { image: 'alpine', ...container },
    ...extra,
  };
}

const context = (): RunContext => ({ signal: new AbortController().signal, onLog: () => {} });
const sh = (script: string) => ['sh', '-c', script];

describe('the local executor with ConfigMaps and Secrets', () => {
  it("gives env from a Secret's and a ConfigMap's keys, in the workflow's namespace", async () => {
    const env = [
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'mypassword' } } },
      { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
    ];
    const result = await executor.run(request({ command: sh('echo "$PASSWORD $GREETING"'), env }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'S00perS3cretPa55word hello' } });
    const team = await executor.run(request({ command: sh('echo "$PASSWORD"'), env: env.slice(0, 1) }, {}, 'team'), context());
    expect(team.outputs.result).toBe('team-password');
  });

  it('fails the node naming the Secret and key that are missing, never starting it', async () => {
    const missingKey = await executor.run(request({ command: ['true'], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'absent' } } }] }), context());
    expect(missingKey).toMatchObject({ phase: 'Error', message: "CreateContainerConfigError: couldn't find key absent in Secret default/my-secret" });
    const missingSecret = await executor.run(request({ command: ['true'], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }), context());
    expect(missingSecret).toMatchObject({ phase: 'Error', message: 'CreateContainerConfigError: Secret default/nope not found (wanted key k)' });
    const sidecar = await executor.run(
      request({ command: ['true'] }, { sidecars: [{ name: 'helper', command: ['true'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }] }),
      context(),
    );
    expect(sidecar).toMatchObject({ phase: 'Error', message: 'sidecar "helper": CreateContainerConfigError: ConfigMap default/absent not found (wanted key k)' });
  });

  it('leaves an optional variable unset where its Secret or key is missing', async () => {
    const env = [
      { name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'absent', optional: true } } },
    ];
    const result = await executor.run(request({ command: sh('echo "${A-unset} ${B-unset}"'), env }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'unset unset' } });
  });

  it('gives envFrom every key with its prefix, env over it, skipping keys that are no names and optional sources missing', async () => {
    const container = {
      command: sh('echo "$DB_HOST $DB_PASSWORD $HOST ${greeting-unset}"; env | grep -c "not a name" || true'),
      envFrom: [{ secretRef: { name: 'db' }, prefix: 'DB_' }, { configMapRef: { name: 'absent', optional: true } }, { secretRef: { name: 'db' } }],
      env: [{ name: 'HOST', value: 'overridden' }],
    };
    const result = await executor.run(request(container), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'db.local hunter2-db overridden unset\n0' } });
    const missing = await executor.run(request({ command: ['true'], envFrom: [{ configMapRef: { name: 'absent' } }] }), context());
    expect(missing).toMatchObject({ phase: 'Error', message: 'CreateContainerConfigError: ConfigMap default/absent not found' });
  });

  it("expands $(VAR) in command, args and later env values as Kubernetes does, $$ escaping", async () => {
    const env = [
      { name: 'USER', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'user' } } },
      { name: 'URL', value: 'postgres://$(USER)@db/$(UNDEFINED)' },
    ];
    const result = await executor.run(request({ command: ['echo'], args: ['$(URL)', '$$(USER)', '$(USER)'], env }), context());
    expect(result.outputs.result).toBe('postgres://admin@db/$(UNDEFINED) $(USER) admin');
  });

  it('writes secret and configMap volumes as read-only files: items at their paths, with their modes', async () => {
    const volumes: NodeRunRequest['volumes'] = [
      { name: 'creds', secret: { secretName: 'my-secret', items: [{ key: 'mypassword', path: 'nested/pw', mode: 0o400 }], defaultMode: 0o440 } },
      { name: 'conf', configMap: { name: 'settings', defaultMode: 0o600 } },
      { name: 'maybe', secret: { secretName: 'nope', optional: true } },
    ];
    const script = [
      'cat /secret/nested/pw; echo',
      'stat -c "%a %n" /secret/nested/pw /config/greeting /config/log.level',
      'ls /secret | tr "\\n" " "; echo',
      'ls -A /maybe | wc -l',
      'touch /config/new 2>/dev/null && echo writable || echo read-only',
    ].join('; ');
    const result = await executor.run(
      request(
        {
          command: sh(script),
          volumeMounts: [
            { name: 'creds', mountPath: '/secret' },
            { name: 'conf', mountPath: '/config' },
            { name: 'maybe', mountPath: '/maybe' },
          ],
        },
        { volumes },
      ),
      context(),
    );
    expect(result.message).toBeUndefined();
    expect(result.outputs.result).toBe(['S00perS3cretPa55word', '400 /secret/nested/pw', '600 /config/greeting', '600 /config/log.level', 'nested ', '0', 'read-only'].join('\n'));
  });

  it('fails the node naming a volume item whose key is missing', async () => {
    const volumes: NodeRunRequest['volumes'] = [{ name: 'creds', secret: { secretName: 'my-secret', items: [{ key: 'absent', path: 'x' }] } }];
    const result = await executor.run(request({ command: ['true'], volumeMounts: [{ name: 'creds', mountPath: '/secret' }] }, { volumes }), context());
    expect(result).toMatchObject({ phase: 'Error', message: "CreateContainerConfigError: couldn't find key absent in Secret default/my-secret" });
  });

  it("never repeats a Secret value it gave the node in the node's message", async () => {
    const env = [{ name: 'TOOL', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'mypassword' } } }];
    const result = await executor.run(request({ command: ['$(TOOL)'], env }), context());
    expect(result.phase).toBe('Error');
    expect(result.message).toBe('command "<redacted>" not found on this host (it stands for image "alpine")');
  });
});
