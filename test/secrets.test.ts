// Secrets through the real CLI and `regatta run`, as a user keeps and uses them: `regatta secret create`
// as `kubectl create secret generic`, then Argo's secrets.yaml example (env from secretKeyRef and a
// secret volume) run locally; values never printed by the CLI unless asked, never in Redis in the clear,
// never in what Regatta says about a failed node; a missing or wrong key named.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Secret } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { Redis } from 'ioredis';
import { keysUnder, REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { nodeByDisplayName, runYaml } from './support/run-yaml.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-secrets-'));
const KEY = { REGATTA_SECRETS_KEY: randomBytes(32).toString('base64') };
const PASSWORD = 'S00perS3cretPa55word';
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const cli = (args: string[], env: Record<string, string> = KEY) => regatta(args, prefix, env);
/** Argo's examples/secrets.yaml, its comments left out. */
const example = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: secrets-
spec:
  entrypoint: print-secret
  volumes:
  - name: my-secret-vol
    secret:
      secretName: my-secret
  templates:
  - name: print-secret
    container:
      image: alpine:3.23
      command: [sh, -c]
      args: ['
        echo "secret from env: $MYSECRETPASSWORD";
        echo "secret from file: \`cat /secret/mountpath/mypassword\`"
      ']
      env:
      - name: MYSECRETPASSWORD
        valueFrom:
          secretKeyRef:
            name: my-secret
            key: mypassword
      volumeMounts:
      - name: my-secret-vol
        mountPath: "/secret/mountpath"
`;

describe('regatta secret', () => {
  it('creates a Secret from literals and files, lists it as kubectl does, and shows values only when asked', async () => {
    const file = join(dir, 'ssh-key');
    writeFileSync(file, 'line one\nline two\n');
    const created = await cli(['secret', 'create', 'my-secret', '--from-literal', `mypassword=${PASSWORD}`, '--from-file', file, '--from-file', `renamed=${file}`]);
    expect(created).toMatchObject({ code: 0, stdout: 'secret/my-secret created\n', stderr: '' });
    expect((await cli(['secret', 'create', 'my-secret', '--from-literal', 'a=b'])).stderr).toContain('Secret default/my-secret already exists');

    const listed = await cli(['secret', 'list'], {});
    expect(listed.stdout).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\nmy-secret\s+Opaque\s+3\s+\d+s\n$/);
    const shown = await cli(['secret', 'get', 'my-secret', '-o', 'yaml'], {});
    expect(shown.stdout).toContain('mypassword: <redacted>');
    expect(shown.stdout).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    const values = JSON.parse((await cli(['secret', 'get', 'my-secret', '-o', 'json', '--show-values'])).stdout) as Secret;
    expect(Buffer.from(values.data!.mypassword!, 'base64').toString()).toBe(PASSWORD);
    expect(Buffer.from(values.data!['ssh-key']!, 'base64').toString()).toBe('line one\nline two\n');
    expect(Object.keys(values.data!).sort()).toEqual(['mypassword', 'renamed', 'ssh-key']);
  });

  it('stores nothing in Redis in the clear', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      for (const key of await keysUnder(prefix)) {
        if ((await redis.type(key)) !== 'hash') continue;
        const all = JSON.stringify(await redis.hgetall(key));
        expect(all).not.toContain(PASSWORD);
        expect(all).not.toContain(Buffer.from(PASSWORD).toString('base64'));
      }
    } finally {
      redis.disconnect();
    }
  });

  it('applies Secret YAML with data and stringData, lists across namespaces, and deletes', async () => {
    const file = join(dir, 'secrets.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Secret
metadata: {name: api, namespace: team}
type: kubernetes.io/basic-auth
data: {username: ${Buffer.from('admin').toString('base64')}}
stringData: {password: plain-text}
`,
    );
    expect((await cli(['secret', 'apply', '-f', file])).stdout).toBe('secret/api created\n');
    expect((await cli(['secret', 'apply', '-f', file])).stdout).toBe('secret/api unchanged\n');
    const all = await cli(['secret', 'list', '-A'], {});
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+DATA\s+AGE\n/);
    expect(all.stdout).toMatch(/\nteam\s+api\s+kubernetes\.io\/basic-auth\s+2\s/);
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: Bad_Name}\ndata: {k: "not base64!"}\n');
    const refused = await cli(['secret', 'apply', '-f', join(dir, 'bad.yaml')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('must be base64 (use stringData for plain text)');
    expect(refused.stderr).not.toContain('not base64!');
    expect((await cli(['secret', 'delete', 'api', '-n', 'team'])).stdout).toBe('secret "api" deleted\n');
    expect((await cli(['secret', 'delete', 'api', '-n', 'team'])).stderr).toContain('Secret "api" not found in namespace "team"');
  });

  it('names REGATTA_SECRETS_KEY when it is missing, malformed, or not the key a Secret was stored with', async () => {
    const missing = await cli(['secret', 'create', 'x', '--from-literal', 'a=b'], {});
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('REGATTA_SECRETS_KEY is not set');
    const malformed = await cli(['secret', 'get', 'my-secret', '-o', 'json', '--show-values'], { REGATTA_SECRETS_KEY: 'c2hvcnQ=' });
    expect(malformed.stderr).toContain('REGATTA_SECRETS_KEY must be 32 bytes');
    const wrong = await cli(['secret', 'get', 'my-secret', '-o', 'json', '--show-values'], { REGATTA_SECRETS_KEY: randomBytes(32).toString('hex') });
    expect(wrong.stderr).toContain('cannot decrypt Secret default/my-secret: REGATTA_SECRETS_KEY is not the key it was stored with');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("Argo's secrets example in regatta run", () => {
  it('reads the Secret into env and a secret volume when the node starts', async () => {
    const { code, workflow } = await runYaml(dir, 'secrets', example, prefix, KEY);
    expect(code).toBe(0);
    const node = nodeByDisplayName(workflow, workflow.metadata.name!);
    expect(node.outputs?.result).toBe(`secret from env: ${PASSWORD}\nsecret from file: ${PASSWORD}`);
  });

  it('fails the node naming the missing key, and the worker without a key names REGATTA_SECRETS_KEY', async () => {
    const missingKey = await runYaml(dir, 'missing-key', example.replace('key: mypassword', 'key: absent'), prefix, KEY);
    expect(missingKey.code).not.toBe(0);
    const node = nodeByDisplayName(missingKey.workflow, missingKey.workflow.metadata.name!);
    expect(node).toMatchObject({ phase: 'Error', message: "CreateContainerConfigError: couldn't find key absent in Secret default/my-secret" });
    const keyless = await runYaml(dir, 'keyless', example, prefix, {});
    const keylessNode = nodeByDisplayName(keyless.workflow, keyless.workflow.metadata.name!);
    expect(keylessNode.phase).toBe('Error');
    expect(keylessNode.message).toMatch(/^CreateContainerConfigError: REGATTA_SECRETS_KEY is not set/);
  });

  it("keeps a value the node received out of the node's message", async () => {
    const leaky = example.replace("command: [sh, -c]", 'command: ["$(MYSECRETPASSWORD)"]');
    const { workflow } = await runYaml(dir, 'leaky', leaky, prefix, KEY);
    const node = nodeByDisplayName(workflow, workflow.metadata.name!);
    expect(node.phase).toBe('Error');
    expect(node.message).toContain('command "<redacted>" not found');
    expect(JSON.stringify(workflow)).not.toContain(PASSWORD);
  });
});

describe('ConfigMaps and Secrets in the YAML a user writes', () => {
  it('give envFrom with a prefix and a configMap volume with items and modes', async () => {
    const configMap = join(dir, 'settings.yaml');
    writeFileSync(configMap, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {greeting: hello, level: debug}\n');
    expect((await cli(['configmap', 'apply', '-f', configMap])).code).toBe(0);
    const { code, workflow } = await runYaml(
      dir,
      'env-from',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: env-from-}
spec:
  entrypoint: main
  volumes:
  - name: conf
    configMap:
      name: settings
      defaultMode: 0440
      items: [{key: greeting, path: greeting.txt}, {key: level, path: nested/level, mode: 0400}]
  templates:
  - name: main
    container:
      image: alpine
      command: [sh, -c, 'echo "$CFG_greeting $SECRET_mypassword"; stat -c "%a %n" /conf/greeting.txt /conf/nested/level; cat /conf/nested/level']
      envFrom:
      - {configMapRef: {name: settings}, prefix: CFG_}
      - {secretRef: {name: my-secret}, prefix: SECRET_}
      - {secretRef: {name: absent, optional: true}}
      volumeMounts: [{name: conf, mountPath: /conf}]
`,
      prefix,
      KEY,
    );
    expect(code).toBe(0);
    expect(nodeByDisplayName(workflow, workflow.metadata.name!).outputs?.result).toBe(`hello ${PASSWORD}\n440 /conf/greeting.txt\n400 /conf/nested/level\ndebug`);
  });

  it("send an HTTP template's header from a Secret to a local server", async () => {
    let token: string | undefined;
    const server = createServer((request, response) => {
      token = request.headers['x-token'] as string | undefined;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { code } = await runYaml(
        dir,
        'http-secret',
        `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: http-secret-}
spec:
  entrypoint: call
  templates:
  - name: call
    http:
      url: "http://127.0.0.1:${(server.address() as { port: number }).port}/"
      headers:
      - name: X-Token
        valueFrom: {secretKeyRef: {name: my-secret, key: mypassword}}
`,
        prefix,
        KEY,
      );
      expect(code).toBe(0);
      expect(token).toBe(PASSWORD);
    } finally {
      server.close();
    }
  });
});
