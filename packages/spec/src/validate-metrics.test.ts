import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const lint = (yaml: string) => lintWorkflow(yaml, 'wf.yaml').map(formatIssue);

/** A workflow whose template `main` carries these metrics (YAML flow lines, each a metric). */
const withTemplateMetrics = (...metrics: string[]) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: metrics-}
spec:
  entrypoint: main
  templates:
  - name: main
    metrics:
      prometheus:
${metrics.map((metric) => `      - ${metric}\n`).join('')}    container: {image: busybox, command: [echo]}
`;

describe('custom metrics at submission', () => {
  it("accepts Argo's custom metrics, with expressions in values and labels", () => {
    expect(
      lint(
        withTemplateMetrics(
          '{name: duration_gauge, help: "Duration", labels: [{key: name, value: "{{workflow.name}}"}], gauge: {realtime: true, value: "{{duration}}"}}',
          '{name: "result:counter", help: "Results", when: "{{status}} == Failed", counter: {value: 1}}',
          '{name: picked, help: "Picked", histogram: {value: "{{outputs.parameters.n}}", buckets: [1, 5.5, 10]}}',
          '{name: level, help: "Level", gauge: {value: "-3", operation: Sub}}',
        ),
      ),
    ).toEqual([]);
    expect(loadWorkflow(withTemplateMetrics('{name: c, help: h, labels: [{key: tier, value: 2}], counter: {value: 1}}'), 'wf.yaml').spec.templates![0]).toMatchObject({
      metrics: { prometheus: [{ labels: [{ key: 'tier', value: '2' }], counter: { value: '1' } }] },
    });
  });

  it('refuses names and label keys Prometheus refuses, and an empty help, naming the field', () => {
    expect(lint(withTemplateMetrics('{name: my-metric, help: "", labels: [{key: bad-label, value: x}, {key: __name, value: y}], counter: {value: "1"}}'))).toEqual([
      'wf.yaml:10:16: spec.templates[0].metrics.prometheus[0].name: metric name "my-metric" is invalid: names may only contain letters, digits, "_" or ":" and may not start with a digit',
      'wf.yaml:10:33: spec.templates[0].metrics.prometheus[0].help: a metric needs a help text: Prometheus requires one',
      'wf.yaml:10:52: spec.templates[0].metrics.prometheus[0].labels[0].key: metric label "bad-label" is invalid: label names may only contain letters, digits and "_" and may not start with a digit',
      'wf.yaml:10:80: spec.templates[0].metrics.prometheus[0].labels[1].key: metric label "__name" is invalid: names starting with "__" are reserved by Prometheus',
    ]);
  });

  it('refuses a metric of no kind or two, a label without a value, and le on a histogram', () => {
    expect(lint(withTemplateMetrics('{name: a, help: h}', '{name: b, help: h, gauge: {value: "1"}, counter: {value: "1"}}', '{name: c, help: h, labels: [{key: le, value: ""}], histogram: {value: "1"}}'))).toEqual([
      'wf.yaml:10:9: spec.templates[0].metrics.prometheus[0]: a metric needs exactly one of gauge, counter or histogram (found none)',
      'wf.yaml:11:9: spec.templates[0].metrics.prometheus[1]: a metric needs exactly one of gauge, counter or histogram (found gauge, counter)',
      'wf.yaml:12:43: spec.templates[0].metrics.prometheus[2].labels[0].key: metric label "le" is reserved for the buckets of a histogram',
      'wf.yaml:12:54: spec.templates[0].metrics.prometheus[2].labels[0].value: metric label "le" needs a value',
    ]);
  });

  it('refuses literal values that cannot be emitted: a negative counter, text, unordered buckets', () => {
    expect(lint(withTemplateMetrics('{name: a, help: h, counter: {value: "-1"}}', '{name: b, help: h, gauge: {value: "many", operation: Mul}}', '{name: c, help: h, histogram: {value: "1", buckets: [5, 1]}}'))).toEqual([
      'wf.yaml:10:45: spec.templates[0].metrics.prometheus[0].counter.value: a counter only goes up: its value may not be negative',
      'wf.yaml:11:43: spec.templates[0].metrics.prometheus[1].gauge.value: must be a number or an expression, not "many"',
      'wf.yaml:11:62: spec.templates[0].metrics.prometheus[1].gauge.operation: must be one of Set, Add, Sub',
      'wf.yaml:12:61: spec.templates[0].metrics.prometheus[2].histogram.buckets: must be a non-empty list of increasing numbers',
    ]);
  });

  it("checks the workflow's own metrics too", () => {
    const yaml = withTemplateMetrics('{name: ok, help: h, counter: {value: "1"}}').replace('  entrypoint: main\n', '  entrypoint: main\n  metrics: {prometheus: [{name: wf-duration, help: h, gauge: {value: "{{workflow.duration}}"}}]}\n');
    expect(lint(yaml)).toEqual([expect.stringMatching(/^wf\.yaml:6:33: spec\.metrics\.prometheus\[0\]\.name: metric name "wf-duration" is invalid/)]);
  });
});
