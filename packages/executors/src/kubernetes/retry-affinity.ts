// Argo's `retryStrategy.affinity.nodeAntiAffinity`: a retry's pod must not land on a host where an
// earlier attempt failed. Argo adds `<hostLabel> NotIn [hosts]` to the first node selector term only;
// terms are ORed, so Regatta adds it to every term, else another term could still pick a failed host.
import type { V1Affinity, V1NodeSelectorRequirement, V1NodeSelectorTerm } from '@kubernetes/client-node';

export const DEFAULT_HOST_LABEL = 'kubernetes.io/hostname';

/** `affinity` (left unchanged) with the hosts excluded from its required node affinity. */
export function avoidingHosts(affinity: V1Affinity | undefined, hosts: string[], hostLabel: string): V1Affinity | undefined {
  if (hosts.length === 0) return affinity;
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms: V1NodeSelectorTerm[] = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms : [{}];
  return {
    ...affinity,
    nodeAffinity: {
      ...affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: terms.map((term) => excluding(term, hosts, hostLabel)) },
    },
  };
}

function excluding(term: V1NodeSelectorTerm, hosts: string[], hostLabel: string): V1NodeSelectorTerm {
  const expressions = term.matchExpressions ?? [];
  const existing = expressions.findIndex((expression) => expression.key === hostLabel && expression.operator === 'NotIn');
  if (existing < 0) return { ...term, matchExpressions: [...expressions, { key: hostLabel, operator: 'NotIn', values: hosts }] };
  const merged: V1NodeSelectorRequirement = { ...expressions[existing]!, values: [...new Set([...(expressions[existing]!.values ?? []), ...hosts])] };
  return { ...term, matchExpressions: expressions.map((expression, index) => (index === existing ? merged : expression)) };
}
