// What a workflow refers to among stored resources, resolved at submission before anything is stored:
// its WorkflowTemplate (`workflowTemplateRef`, joined into its spec), the templates its steps, tasks
// and hooks call by `templateRef` (copied into `status.storedTemplates`, with whatever they call in
// turn), and the workflow's argument values from ConfigMaps (template inputs' are read when their node
// starts: only their references are checked here). The result runs on its own: the engine finds every
// template either in `spec.templates` by name or in `status.storedTemplates` by templateRef.
import {
  allHooks,
  allTemplates,
  callsOf,
  formatPath,
  hooksOf,
  storedTemplateKey,
  withInlineTemplates,
  type ClusterWorkflowTemplate,
  type ConfigMap,
  type FieldPath,
  type Template,
  type TemplateCallFields,
  type TemplateRef,
  type Workflow,
  type WorkflowSpec,
  type WorkflowStep,
  type DAGTask,
  type WorkflowTemplate,
} from '@regatta/spec';
import { checkConfigMapRefs, ConfigMapValues, type Report } from './configmap-parameters.js';
import { joinWorkflowSpec } from './join-spec.js';

export interface ResourceReader {
  getWorkflowTemplate(namespace: string, name: string): Promise<WorkflowTemplate | undefined>;
  getClusterWorkflowTemplate(name: string): Promise<ClusterWorkflowTemplate | undefined>;
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
}

export interface ReferenceIssue {
  /** A place in the workflow's own file: for issues inside a WorkflowTemplate, the place that led there. */
  path: FieldPath;
  message: string;
}

type Owner = Pick<TemplateRef, 'name' | 'clusterScope'>;

/** A template to walk: the workflow's own, or (with `from`) one that came from a WorkflowTemplate. */
interface Scope {
  template: Template;
  /** In the workflow's spec; inside the WorkflowTemplate's template for one that came from there. */
  path: FieldPath;
  from?: {
    /** The place in the workflow's file that brought the template in. */
    at: FieldPath;
    label: string;
    /** Set for a template called by templateRef: its plain template names mean its own WorkflowTemplate's. */
    owner?: Owner;
  };
}

/** Whether the workflow names anything stored: then its checks wait for `resolveReferences`. */
export function refersToStoredResources({ spec }: Workflow): boolean {
  const templates = allTemplates({ spec });
  const calls: TemplateCallFields[] = [...allHooks({ spec }).map(({ hook }) => hook), ...templates.flatMap(({ template, path }) => callsOf(template, path).map(({ call }) => call))];
  const parameters = [...(spec.arguments?.parameters ?? []), ...templates.flatMap(({ template }) => template.inputs?.parameters ?? [])];
  return (
    spec.workflowTemplateRef !== undefined ||
    spec.artifactRepositoryRef !== undefined ||
    calls.some((call) => call.templateRef) ||
    parameters.some((p) => p.valueFrom?.configMapKeyRef)
  );
}

/** Resolves in place, as `-p` overrides are applied; returns every issue found (none: it runs on its own). */
export async function resolveReferences(workflow: Workflow, reader: ResourceReader): Promise<ReferenceIssue[]> {
  return new Resolver(workflow, reader).run();
}

class Resolver {
  private readonly issues: ReferenceIssue[] = [];
  private readonly scopes: Scope[] = [];
  /** Each WorkflowTemplate is read once, by its description. */
  private readonly specs = new Map<string, Promise<WorkflowSpec | undefined>>();
  private readonly namespace: string;
  private readonly stored: Record<string, Template>;

  constructor(
    private readonly workflow: Workflow,
    private readonly reader: ResourceReader,
  ) {
    this.namespace = workflow.metadata.namespace ?? 'default';
    this.stored = { ...workflow.status?.storedTemplates };
  }

  async run(): Promise<ReferenceIssue[]> {
    const { spec } = this.workflow;
    const taken = await this.joinWorkflowTemplate(spec);
    if (!taken) return this.issues;
    const source = spec.workflowTemplateRef;
    for (const [i, template] of (spec.templates ?? []).entries()) {
      if (source && taken.has(template)) {
        await this.visit({ template, path: [], from: { at: ['spec', 'workflowTemplateRef'], label: `template "${template.name}" of ${describe(source)}` } });
      } else await this.visit({ template, path: ['spec', 'templates', i] });
    }
    for (const { hook, path } of hooksOf(spec.hooks, ['spec', 'hooks'])) await this.callee(undefined, hook, path);
    await this.resolveConfigMaps();
    if (Object.keys(this.stored).length > 0) this.workflow.status = { phase: '', ...this.workflow.status, storedTemplates: this.stored };
    return this.issues;
  }

  /** The templates taken from the WorkflowTemplate (none without one); undefined when it is missing. */
  private async joinWorkflowTemplate(spec: WorkflowSpec): Promise<Set<Template> | undefined> {
    const ref = spec.workflowTemplateRef;
    if (!ref) return new Set();
    const base = await this.specOf(ref);
    if (!base) {
      this.issues.push({ path: ['spec', 'workflowTemplateRef'], message: this.notFound(ref) });
      return undefined;
    }
    return new Set(joinWorkflowSpec(spec, structuredClone(base)));
  }

  private async visit(scope: Scope): Promise<void> {
    this.scopes.push(scope);
    const owner = scope.from?.owner;
    for (const { template, path } of withInlineTemplates(scope.template, scope.path)) {
      for (const { call, path: at } of callsOf(template, path)) {
        await this.callee(scope, call, at);
        if (owner) exitHandlerAsHook(call, owner);
        for (const { hook, path: hookAt } of hooksOf(call.hooks, [...at, 'hooks'])) await this.callee(scope, hook, hookAt);
      }
    }
  }

  private async callee(scope: Scope | undefined, call: TemplateCallFields, at: FieldPath): Promise<void> {
    const owner = scope?.from?.owner;
    if (owner && call.template !== undefined) {
      call.templateRef = refTo(owner, call.template);
      delete call.template;
    }
    if (call.templateRef) await this.store(scope, call.templateRef, [...at, 'templateRef']);
  }

  /** Copies the template a templateRef names into the status, then walks it for what it calls. */
  private async store(scope: Scope | undefined, ref: TemplateRef, at: FieldPath): Promise<void> {
    const key = storedTemplateKey(ref);
    if (Object.hasOwn(this.stored, key)) return;
    const base = await this.specOf(ref);
    const template = base?.templates?.find((t) => t.name === ref.template);
    if (!template) {
      this.report(scope)(at, base ? `template "${ref.template}" not found in ${describe(ref)}` : this.notFound(ref));
      return;
    }
    const copy = structuredClone(template);
    this.stored[key] = copy;
    const label = `template "${ref.template}" of ${describe(ref)}`;
    await this.visit({ template: copy, path: [], from: { at: scope?.from?.at ?? at, label, owner: { name: ref.name, ...(ref.clusterScope && { clusterScope: true }) } } });
  }

  /** Reads the arguments' ConfigMaps now; checks the template inputs' references, read when their nodes start. */
  private async resolveConfigMaps(): Promise<void> {
    const values = new ConfigMapValues(this.namespace, (namespace, name) => this.reader.getConfigMap(namespace, name));
    await values.resolve(this.workflow.spec.arguments?.parameters, ['spec', 'arguments', 'parameters'], this.report(undefined));
    for (const scope of this.scopes) {
      for (const { template, path } of withInlineTemplates(scope.template, scope.path)) {
        checkConfigMapRefs(template.inputs?.parameters, [...path, 'inputs', 'parameters'], this.report(scope));
      }
    }
  }

  /** Issues inside a WorkflowTemplate's template are placed where the workflow brought it in. */
  private report(scope: Scope | undefined): Report {
    const from = scope?.from;
    return (path, message) => this.issues.push(from ? { path: from.at, message: `${from.label}: ${formatPath(path)}: ${message}` } : { path, message });
  }

  private specOf(ref: Owner): Promise<WorkflowSpec | undefined> {
    let found = this.specs.get(describe(ref));
    if (!found) {
      const read = ref.clusterScope ? this.reader.getClusterWorkflowTemplate(ref.name) : this.reader.getWorkflowTemplate(this.namespace, ref.name);
      found = read.then((resource) => resource?.spec);
      this.specs.set(describe(ref), found);
    }
    return found;
  }

  private notFound(ref: Owner): string {
    return ref.clusterScope ? `${describe(ref)} not found` : `${describe(ref)} not found in namespace "${this.namespace}"`;
  }
}

function describe(ref: Owner): string {
  return `${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} "${ref.name}"`;
}

function refTo(owner: Owner, template: string): TemplateRef {
  return { name: owner.name, template, ...(owner.clusterScope && { clusterScope: true }) };
}

/** A step's or task's `onExit` names a template of its own WorkflowTemplate: as a hook it can say so. */
function exitHandlerAsHook(call: WorkflowStep | DAGTask, owner: Owner): void {
  if (call.onExit === undefined) return;
  // As in Argo, an exit hook wins over onExit.
  if (!call.hooks?.exit) call.hooks = { ...call.hooks, exit: { templateRef: refTo(owner, call.onExit) } };
  delete call.onExit;
}
