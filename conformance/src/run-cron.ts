// One CronWorkflow document: checked by `regatta cron lint` (so a refusal names the example's lines),
// stored suspended so that its schedule fires nothing during the run, run once with
// `regatta submit --from cronwf/NAME` as Argo's users run one now, judged as a Workflow, then deleted
// with `regatta cron delete` (which deletes its workflow too).
import { loadCronWorkflows } from '@regatta/spec';
import { ResourceStore } from '@regatta/store';
import type { DocumentFiles } from './document-files.js';
import { documentLabel, type ExampleDocument } from './documents.js';
import type { ManifestEntry } from './manifest.js';
import type { DocumentOutcome } from './outcome.js';
import { classifyCliRefusal } from './refusal.js';
import type { RegattaCli } from './regatta-cli.js';
import { followWorkflow, type WorkflowContext } from './run-workflow.js';

export async function runCron(context: WorkflowContext, cli: RegattaCli, files: DocumentFiles, file: string, document: ExampleDocument, entry: ManifestEntry | undefined): Promise<DocumentOutcome> {
  const label = documentLabel(document);
  const cwd = files.write(file, document.text);
  const lint = await cli.run(['cron', 'lint', file], cwd);
  if (lint.code !== 0) return { document: label, ...classifyCliRefusal(lint.stderr, file, 'cron lint') };
  const [cron] = loadCronWorkflows(document.text, file);
  const cronName = cron!.metadata.name!;
  const namespace = 'default';
  cron!.metadata.namespace = namespace;
  cron!.spec.suspend = true;
  await new ResourceStore(context.redis, context.prefix).create('CronWorkflow', [cron!]);
  try {
    const submitted = await cli.run(['submit', '--from', `cronwf/${cronName}`], cwd);
    if (submitted.code !== 0) return { document: label, ...classifyCliRefusal(submitted.stderr, file, 'submit --from') };
    const name = submitted.stdout.trim();
    const uid = await context.store.uidOf(namespace, name);
    if (!uid) return { document: label, class: 'fail', reason: `workflow ${name} from cronwf/${cronName} is not in the store` };
    return await followWorkflow(context, label, document, entry, { name, uid, namespace, generateName: `${cronName}-` });
  } finally {
    await cli.run(['cron', 'delete', cronName], cwd);
  }
}
