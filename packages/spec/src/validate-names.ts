// Names that become parts of paths on a worker (volume and container names, artifact names, claim names)
// are held to Argo's and Kubernetes' rules at submission, so that none can step out of its folder
// (`../x`) or into a mount's options (`a,upperdir=/`): volume and container names are DNS-1123 labels,
// claim names DNS-1123 subdomains, artifact names `^[-a-zA-Z0-9_]+$` (Argo's). A name still to be
// substituted (`{{…}}`) is checked by the executor once it is known. An artifact's `mode` is permission
// bits only (0 to 0777).
import type { IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';
import type { Artifact, Container, VolumeMount } from './types.js';
import { DNS_LABEL, DNS_SUBDOMAIN } from './validate-schema.js';
import { allTemplates, callsOf, type SpecHolder } from './walk.js';

const ARTIFACT_NAME = /^[-a-zA-Z0-9_]+$/;

const LABEL_RULE = 'a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
const SUBDOMAIN_RULE = 'a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit';
const ARTIFACT_RULE = 'letters, digits, "-" and "_" only';

export function validateNames(holder: SpecHolder, issues: IssueList): void {
  const check = (name: unknown, path: FieldPath, what: string, pattern: RegExp, max: number, rule: string) => {
    if (typeof name !== 'string' || name.includes('{{')) return;
    if (name.length > max || !pattern.test(name)) issues.add('SCHEMA', path, `${what} "${name}" is not valid: it must be ${rule}`);
  };
  const label = (name: unknown, path: FieldPath, what: string) => check(name, path, what, DNS_LABEL, 63, LABEL_RULE);
  const artifacts = (list: Artifact[] | undefined, path: FieldPath) =>
    list?.forEach((artifact, i) => {
      check(artifact.name, [...path, i, 'name'], 'artifact name', ARTIFACT_NAME, 253, ARTIFACT_RULE);
      const { mode } = artifact;
      if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) {
        issues.add('SCHEMA', [...path, i, 'mode'], `mode ${String(mode)} is not permission bits: it must be 0 to 0777 (511), without setuid, setgid or sticky bits`);
      }
    });
  const mounts = (list: VolumeMount[] | undefined, path: FieldPath) => list?.forEach((mount, i) => label(mount.name, [...path, i, 'name'], 'volume name'));
  const container = (c: Container | undefined, path: FieldPath, named: boolean) => {
    if (!c) return;
    if (named || c.name !== undefined) label(c.name, [...path, 'name'], 'container name');
    mounts(c.volumeMounts, [...path, 'volumeMounts']);
  };
  const { spec } = holder;
  artifacts(spec.arguments?.artifacts, ['spec', 'arguments', 'artifacts']);
  spec.volumes?.forEach((volume, i) => {
    label(volume.name, ['spec', 'volumes', i, 'name'], 'volume name');
    check(volume.persistentVolumeClaim?.claimName, ['spec', 'volumes', i, 'persistentVolumeClaim', 'claimName'], 'claim name', DNS_SUBDOMAIN, 253, SUBDOMAIN_RULE);
  });
  spec.volumeClaimTemplates?.forEach((claim, i) => label(claim.metadata?.name, ['spec', 'volumeClaimTemplates', i, 'metadata', 'name'], 'volume name'));
  for (const { template, path } of allTemplates(holder)) {
    artifacts(template.inputs?.artifacts, [...path, 'inputs', 'artifacts']);
    artifacts(template.outputs?.artifacts, [...path, 'outputs', 'artifacts']);
    template.volumes?.forEach((volume, i) => {
      label(volume.name, [...path, 'volumes', i, 'name'], 'volume name');
      check(volume.persistentVolumeClaim?.claimName, [...path, 'volumes', i, 'persistentVolumeClaim', 'claimName'], 'claim name', DNS_SUBDOMAIN, 253, SUBDOMAIN_RULE);
    });
    container(template.container, [...path, 'container'], false);
    container(template.script, [...path, 'script'], false);
    template.initContainers?.forEach((c, i) => container(c, [...path, 'initContainers', i], false));
    (template.sidecars as Container[] | undefined)?.forEach((c, i) => container(c, [...path, 'sidecars', i], false));
    template.containerSet?.containers.forEach((c, i) => container(c, [...path, 'containerSet', 'containers', i], true));
    mounts(template.containerSet?.volumeMounts, [...path, 'containerSet', 'volumeMounts']);
    for (const { call, path: at } of callsOf(template, path)) artifacts(call.arguments?.artifacts, [...at, 'arguments', 'artifacts']);
  }
}

/** Whether `name` may be the named part of a path on a worker, by the rule for its kind; for the executor's check of substituted names. */
export function isValidName(kind: 'volume' | 'container' | 'artifact' | 'claim' | 'secret', name: string): boolean {
  if (kind === 'artifact') return ARTIFACT_NAME.test(name) && name.length <= 253;
  if (kind === 'claim' || kind === 'secret') return DNS_SUBDOMAIN.test(name) && name.length <= 253;
  return DNS_LABEL.test(name) && name.length <= 63;
}
