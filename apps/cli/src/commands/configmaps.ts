// `regatta configmap …`: the ConfigMaps that workflows read parameter values from, kept as
// `kubectl apply -f`, `kubectl get configmap` and `kubectl delete configmap` keep them.
import type { Command } from 'commander';
import { loadConfigMaps } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { registerAppliedResource } from './applied-resources.js';

export function registerConfigMaps(program: Command, config: CliConfig): void {
  registerAppliedResource(program, config, {
    kind: 'ConfigMap',
    command: 'configmap',
    description: 'manage ConfigMaps that workflow parameters read from',
    printedAs: 'configmap',
    load: loadConfigMaps,
    columns: [['DATA', (configMap) => String(Object.keys(configMap.data ?? {}).length)]],
  });
}
