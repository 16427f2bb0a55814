import { describe, expect, it } from 'vitest';
import { classifyCliRefusal, classifyIssues } from './refusal.js';

describe('classifyIssues', () => {
  it('makes a refusal for a feature not run yet unsupported, one line per feature with its first place', () => {
    const outcome = classifyIssues([
      { place: 'spec.templates[0].steps[0][0].templateRef', message: 'templateRef is not supported by Regatta yet' },
      { place: 'spec.templates[0].steps[1][0].templateRef', message: 'templateRef is not supported by Regatta yet' },
      { place: 'spec.templates[1].resource', message: 'resource template needs the kubernetes executor' },
      { place: 'spec.templates[2].name', message: 'must be a valid name' },
    ]);
    expect(outcome).toEqual({
      class: 'unsupported',
      reason:
        'spec.templates[0].steps[0][0].templateRef (+1 more): templateRef is not supported by Regatta yet; ' +
        'spec.templates[1].resource: resource template needs the kubernetes executor',
    });
  });

  it('makes any other refusal a failure with every message', () => {
    expect(classifyIssues([{ place: '13:3', message: 'key "annotations" is written twice in this map' }])).toEqual({
      class: 'fail',
      reason: '13:3: key "annotations" is written twice in this map',
    });
  });
});

describe('classifyCliRefusal', () => {
  it('names the command a build of regatta does not have yet', () => {
    const stderr = "error: unknown command 'configmap'\n\nUsage: regatta [options] [command]\n";
    expect(classifyCliRefusal(stderr, 'configmaps/cm.yaml', 'configmap apply')).toEqual({
      class: 'unsupported',
      reason: "`regatta configmap apply` is not available yet (unknown command 'configmap')",
    });
  });

  it('drops the file name the report already shows', () => {
    expect(classifyCliRefusal('tpl.yaml:4:3: metadata.name: must be a DNS subdomain\n', 'tpl.yaml', 'template create')).toEqual({
      class: 'fail',
      reason: '4:3: metadata.name: must be a DNS subdomain',
    });
  });
});
