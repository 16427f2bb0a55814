export type { Executor, NodeRunRequest, NodeRunResult, RunContext } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
export { NoopExecutor } from './noop.js';
export { HttpExecutor } from './http/http-executor.js';
export { EgressPolicy, egressPolicyFromEnv } from './http/egress-policy.js';
export { RoutingExecutor } from './routing-executor.js';
export { DataExecutor } from './data/data-executor.js';
export { LocalVolumeClaims, parseHostPathAllow } from './local/volumes.js';
export {
  ConfigMapNotFoundError,
  ContainerConfigError,
  NO_CONFIG_SOURCES,
  SecretNotFoundError,
  SourceNotFoundError,
  secretSourceOf,
  type ConfigSources,
} from './config-sources/config-sources.js';
export { resolveEnv, type EnvContext } from './config-sources/env.js';
export { writeProjectedFiles, type ProjectedVolume } from './config-sources/projected-files.js';
export { Redactor, REDACTED } from './config-sources/redactor.js';
export { KubeConfigSources } from './kubernetes/kube-config-sources.js';
export { buildPod, type PodOptions } from './kubernetes/pod.js';
export type { ImageCommand } from './kubernetes/emissary.js';
export { workflowClaims } from './kubernetes/volume-claims.js';
export { PodBuildError } from './kubernetes/pod-build-error.js';
export { KubernetesExecutor, type KubernetesExecutorOptions, LABEL_MANAGED_BY } from './kubernetes/kubernetes-executor.js';
export { KubeClient, loadKubeConfig, MERGE_PATCH } from './kubernetes/kube-client.js';
export { ResourceExecutor, type ResourceExecutorOptions } from './kubernetes/resource/resource-executor.js';
export { ANNOTATION_OUTPUTS, type PodOutputs } from './kubernetes/pod-outputs.js';
// The local executor's pieces that the test kubelet (test/support/local-kubelet.ts) runs a pod's containers with.
export { chooseLauncher, type Launcher } from './local/sandbox.js';
export { NodeDir } from './local/node-dir.js';
export { NodeProcess, type ProcessExit } from './local/node-process.js';
export { prepareLaunch } from './local/prepare-launch.js';
export { ensurePrivateFolder } from '@regatta/artifacts';
export { imageDefaults } from './local/image-defaults.js';
