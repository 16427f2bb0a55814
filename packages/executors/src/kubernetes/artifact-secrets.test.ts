// The credentials of a pod's artifact stores, from the YAML a user writes: the Secrets its locations name
// are secret volumes with only the keys asked for, mounted into regatta-init (inputs) and wait (outputs,
// logs) only, never into a user container.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { NodeJobs } from '../../test-support/node-jobs.js';
import { SECRETS_DIR } from './artifact-secrets.js';
import { buildPod } from './pod.js';

const workflow = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    archiveLocation:
      archiveLogs: true
      s3: {endpoint: "s3:9000", bucket: logs, key: wf/main, accessKeySecret: {name: log-creds, key: id}, secretKeySecret: {name: log-creds, key: secret}}
    inputs:
      artifacts:
      - name: data
        path: /in/data
        s3: {endpoint: "s3:9000", bucket: team, key: in.txt, accessKeySecret: {name: team-s3, key: accessKey}, secretKeySecret: {name: team-s3, key: secretKey}}
      - name: page
        path: /in/page
        http:
          url: https://example.com/page
          headers: [{name: Authorization, valueFrom: {secretKeyRef: {name: web, key: token, optional: true}}}]
      - name: note
        path: /in/note
        raw: {data: hello}
    outputs:
      artifacts:
      - name: result
        path: /out/result
        s3: {endpoint: "s3:9000", bucket: team, key: out.txt, accessKeySecret: {name: team-s3, key: accessKey}, secretKeySecret: {name: team-s3, key: uploadKey}}
    container: {image: busybox, command: [sh, -c, "true"]}
    sidecars:
    - {name: helper, image: busybox, command: [sleep, "1"]}
`;

function pod(yaml = workflow): V1Pod {
  return buildPod(new NodeJobs(yaml).job('wf'), { executorImage: 'regatta/regatta:1.0' });
}

function secretMountsOf(container: V1Container | undefined): { secret: string | undefined; mountPath: string; readOnly?: boolean }[] {
  const volumes = new Map(pod().spec!.volumes!.map((volume) => [volume.name, volume.secret?.secretName]));
  return (container?.volumeMounts ?? []).filter(({ name }) => name.startsWith('regatta-secret-')).map(({ name, mountPath, readOnly }) => ({ secret: volumes.get(name), mountPath, readOnly }));
}

describe('artifact credentials in pods', () => {
  it('makes each Secret the locations name a secret volume of only the keys asked for, optional only where every selector is', () => {
    const secrets = pod()
      .spec!.volumes!.filter((volume) => volume.secret)
      .map(({ name, secret }) => ({ name, secret }));
    expect(secrets.map(({ secret }) => secret)).toEqual([
      { secretName: 'log-creds', items: [{ key: 'id', path: 'id' }, { key: 'secret', path: 'secret' }] },
      { secretName: 'team-s3', items: ['accessKey', 'secretKey', 'uploadKey'].map((key) => ({ key, path: key })) },
      { secretName: 'web', items: [{ key: 'token', path: 'token' }], optional: true },
    ]);
    for (const { name } of secrets) expect(name).toMatch(/^regatta-secret-[0-9a-f]{16}$/);
  });

  it('mounts them read-only into regatta-init for the inputs and into wait for the outputs and the log, and into no user container', () => {
    const built = pod();
    const init = built.spec!.initContainers!.find((container) => container.name === 'regatta-init');
    const wait = built.spec!.containers.find((container) => container.name === 'wait');
    expect(secretMountsOf(init)).toEqual([
      { secret: 'team-s3', mountPath: `${SECRETS_DIR}/team-s3`, readOnly: true },
      { secret: 'web', mountPath: `${SECRETS_DIR}/web`, readOnly: true },
    ]);
    expect(secretMountsOf(wait)).toEqual([
      { secret: 'log-creds', mountPath: `${SECRETS_DIR}/log-creds`, readOnly: true },
      { secret: 'team-s3', mountPath: `${SECRETS_DIR}/team-s3`, readOnly: true },
    ]);
    for (const user of built.spec!.containers.filter((container) => container.name !== 'wait')) {
      expect(user.volumeMounts?.map(({ name }) => name).filter((name) => name.startsWith('regatta-secret-')), user.name).toEqual([]);
      expect(JSON.stringify(user.env ?? [])).not.toContain('secretKeyRef');
    }
  });

  it('has wait save the main container\'s log where archiveLogs asks, and the main container keep it', () => {
    const built = pod();
    const wait = built.spec!.containers.find((container) => container.name === 'wait')!;
    const logs = JSON.parse(wait.env!.find(({ name }) => name === 'REGATTA_LOGS_ARTIFACT')!.value!) as unknown;
    expect(logs).toMatchObject({ name: 'main-logs', s3: { bucket: 'logs', key: 'wf/main/main.log', accessKeySecret: { name: 'log-creds', key: 'id' } } });
    const keeps = (name: string) => built.spec!.containers.find((container) => container.name === name)!.env?.some((variable) => variable.name === 'REGATTA_KEEP_LOG') ?? false;
    expect({ main: keeps('main'), helper: keeps('helper') }).toEqual({ main: true, helper: false });
  });

  it('gives a pod whose artifacts need no credentials no secret volume', () => {
    const plain = pod(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    outputs:
      artifacts:
      - {name: result, path: /out/result, s3: {endpoint: "s3:9000", bucket: team, key: out.txt, useSDKCreds: true}}
    container: {image: busybox, command: [sh, -c, "true"]}
`);
    expect(plain.spec!.volumes!.filter((volume) => volume.secret)).toEqual([]);
    expect(plain.spec!.containers.find((container) => container.name === 'wait')!.env!.some(({ name }) => name === 'REGATTA_LOGS_ARTIFACT')).toBe(false);
  });
});
