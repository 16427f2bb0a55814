// The kubernetes executor's settings from the environment: Argo's rate defaults, overrides, refusals
// that name the variable, and no executor without Regatta's image.
import { createLogger } from '@regatta/telemetry';
import { describe, expect, it } from 'vitest';
import { createKubernetesExecutor } from './kubernetes-executor.js';
import { readKubernetesSettings } from './kubernetes-settings.js';

describe('kubernetes settings', () => {
  it("default to Argo's 20 requests a second, 30 at once, each pod in its workflow's namespace", () => {
    expect(readKubernetesSettings({})).toEqual({ qps: 20, burst: 30 });
  });

  it('are read from REGATTA_KUBECONFIG, REGATTA_KUBE_NAMESPACE, REGATTA_KUBE_QPS, REGATTA_KUBE_BURST and REGATTA_EXECUTOR_IMAGE', () => {
    const env = { REGATTA_KUBECONFIG: '/k', REGATTA_KUBE_NAMESPACE: 'pods', REGATTA_KUBE_QPS: '5', REGATTA_KUBE_BURST: '7', REGATTA_EXECUTOR_IMAGE: 'r:1' };
    expect(readKubernetesSettings(env)).toEqual({ kubeconfig: '/k', namespace: 'pods', qps: 5, burst: 7, executorImage: 'r:1' });
  });

  it('read the entrypoints of images from REGATTA_IMAGE_COMMANDS, refusing a bad one with its place', () => {
    const commands = { 'argoproj/argosay:v2': { entrypoint: ['/argosay'] }, alpine: { entrypoint: [], cmd: ['sh'] } };
    expect(readKubernetesSettings({ REGATTA_IMAGE_COMMANDS: JSON.stringify(commands) })).toMatchObject({ imageCommands: commands });
    expect(() => readKubernetesSettings({ REGATTA_IMAGE_COMMANDS: '{' })).toThrow(/^REGATTA_IMAGE_COMMANDS must be JSON: /);
    expect(() => readKubernetesSettings({ REGATTA_IMAGE_COMMANDS: '{"alpine": {"entrypoint": "sh"}}' })).toThrow(/^REGATTA_IMAGE_COMMANDS\.alpine\.entrypoint: /);
  });

  it("read the local artifact store's folder on the node for pods from REGATTA_KUBE_ARTIFACTS_HOST_PATH, an absolute path", () => {
    expect(readKubernetesSettings({ REGATTA_KUBE_ARTIFACTS_HOST_PATH: '/srv/artifacts' })).toMatchObject({ artifactsHostPath: '/srv/artifacts' });
    expect(() => readKubernetesSettings({ REGATTA_KUBE_ARTIFACTS_HOST_PATH: 'artifacts' })).toThrow(/REGATTA_KUBE_ARTIFACTS_HOST_PATH must be an absolute path/);
  });

  it('refuse a rate that is not a positive integer, naming the variable', () => {
    expect(() => readKubernetesSettings({ REGATTA_KUBE_QPS: '0' })).toThrow('REGATTA_KUBE_QPS must be a positive integer, got "0"');
  });

  it('make no executor without the image that holds the launcher', () => {
    expect(() => createKubernetesExecutor({ qps: 20, burst: 30 }, createLogger('test', { level: 'silent' }))).toThrow(
      'the kubernetes executor needs REGATTA_EXECUTOR_IMAGE (or --executor-image)',
    );
  });
});
