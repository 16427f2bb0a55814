// Fuzzing what a user's YAML goes through before anything is stored: `regatta lint` (lintWorkflow) and
// `regatta submit`'s preparation (prepareWorkflow: parse, schema, references, DAGs, parameters, the
// engine's checks). Every document must be accepted or refused clearly (see clearSpecRefusal).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { prepareWorkflow } from '@regatta/client';
import { lintWorkflow } from '@regatta/spec';
import { assertInChunks, clearSpecRefusal, count, params, TEST_TIMEOUT_MS, timed, vagueIssue } from './support.js';
import { damage, mutate, mutation, toYaml, workflowObject, yamlDamage } from './workflows.js';

const FILE = 'fuzz.yaml';

/** Lints and prepares one document; throws (failing the property) on a crash, a vague issue or a slow case. */
function check(property: string, text: string): void {
  timed(property, () => {
    for (const issue of lintWorkflow(text, FILE)) {
      const vague = vagueIssue(issue, FILE);
      if (vague) throw new Error(`lint: ${vague}`);
    }
    try {
      prepareWorkflow(text, FILE, { shards: 4 });
      count(property, 'accepted');
    } catch (error) {
      const vague = clearSpecRefusal(error, FILE);
      if (vague) throw new Error(`submit: ${vague}`);
      count(property, 'refused');
    }
  });
}

describe('fuzz: lint and submit preparation', () => {
  it('accept or clearly refuse generated workflows', async () => {
    await assertInChunks(fc.property(workflowObject(), (workflow) => check('generated workflows', toYaml(workflow))), params(60, 2500));
  }, TEST_TIMEOUT_MS);

  it('clearly refuse (or accept) workflows with one field broken', async () => {
    await assertInChunks(fc.property(workflowObject(), mutation, (workflow, m) => check('mutated workflows', toYaml(mutate(workflow, m)))), params(60, 2500));
  }, TEST_TIMEOUT_MS);

  it('clearly refuse (or accept) damaged YAML', async () => {
    await assertInChunks(fc.property(workflowObject(), yamlDamage, (workflow, d) => check('damaged YAML', damage(toYaml(workflow), d))), params(40, 1500));
  }, TEST_TIMEOUT_MS);

  it('clearly refuse random text and random JSON documents', async () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200, unit: 'binary' }), fc.json().map((j) => j), fc.anything().map((a) => toYaml(JSON.parse(JSON.stringify(a ?? null)))));
    await assertInChunks(fc.property(text, (t) => check('random documents', t)), params(40, 1000));
  }, TEST_TIMEOUT_MS);
});
