// Static facts about a workflow's templates, computed once per template and reused for every node
// that runs it: lookups by name, a step's group, and a DAG's dependency graph.
import type { DAGTask, Template, TemplateRef, WorkflowSpec } from '@regatta/spec';
import { parseDepends, type ParsedDepends } from '@regatta/expr';

export interface DagPlan {
  tasks: Map<string, DAGTask>;
  depends: Map<string, ParsedDepends>;
  /** Tasks that name each task in their dependencies. */
  dependents: Map<string, string[]>;
  /** Tasks with no dependencies, in spec order. */
  roots: string[];
  /** The DAG's targets: `target` if given, else the tasks nothing depends on. */
  targets: string[];
  /** Targets and their ancestors: the only tasks that run when `target` narrows the DAG. */
  needed: Set<string>;
  /** All tasks, each after its dependencies. */
  order: string[];
}

export class TemplateIndex {
  private readonly byName = new Map<string, Template>();
  private readonly stepGroups = new WeakMap<Template, Map<string, number>>();
  private readonly dagPlans = new WeakMap<Template, Map<string | undefined, DagPlan>>();
  private readonly callHooks = new WeakMap<Template, boolean>();
  private readonly tagless = new WeakMap<object, boolean>();
  private readonly anyCallHooks: boolean;

  constructor(
    spec: WorkflowSpec,
    private readonly stored: Record<string, Template> = {},
  ) {
    const defaults = spec.templateDefaults as Partial<Template> | undefined;
    for (const template of spec.templates ?? []) this.byName.set(template.name, defaults ? withDefaults(defaults, template) : template);
    // Checked once for the whole workflow, so that most workflows never look per body (a rough test:
    // a parameter that merely mentions these names only sends them the long way).
    this.anyCallHooks = /"(hooks|onExit)"/.test(JSON.stringify([spec.templates, stored]));
  }

  get(name: string): Template | undefined {
    return this.byName.get(name);
  }

  /** A template of a WorkflowTemplate, copied into the workflow's status at submission. */
  getByRef(ref: TemplateRef): Template | undefined {
    const key = `${ref.clusterScope ? 'cluster' : 'namespaced'}/${ref.name}/${ref.template}`;
    return Object.hasOwn(this.stored, key) ? this.stored[key] : undefined;
  }

  /** The template a call or a node names: by `templateRef` or by name. */
  resolve(call: { template?: string; templateRef?: TemplateRef }): Template | undefined {
    if (call.templateRef) return this.getByRef(call.templateRef);
    return call.template === undefined ? undefined : this.get(call.template);
  }

  /** Index of the group that holds `stepName` in a steps template, or undefined. */
  stepGroupIndex(template: Template, stepName: string): number | undefined {
    let groups = this.stepGroups.get(template);
    if (!groups) {
      groups = new Map();
      (template.steps ?? []).forEach((group, index) => {
        for (const step of group) groups!.set(step.name, index);
      });
      this.stepGroups.set(template, groups);
    }
    return groups.get(stepName);
  }

  /**
   * Whether any step or task of a steps or DAG template has lifecycle hooks or an exit handler: only
   * then does a call that ends need its spec looked up again, which a 10,000-task DAG does per node.
   */
  callsHaveHooks(template: Template): boolean {
    if (!this.anyCallHooks) return false;
    let has = this.callHooks.get(template);
    if (has === undefined) {
      const calls: { hooks?: unknown; onExit?: unknown }[] = [...(template.steps ?? []).flat(), ...(template.dag?.tasks ?? [])];
      has = calls.some((call) => call.hooks !== undefined || call.onExit !== undefined);
      this.callHooks.set(template, has);
    }
    return has;
  }

  /**
   * Whether a template (or another spec object kept for the workflow's life) holds no `{{…}}` tag at
   * all, so substituting into it would give it back unchanged: checked once per object, not per node.
   */
  isTagless(value: object): boolean {
    let tagless = this.tagless.get(value);
    if (tagless === undefined) {
      tagless = !holdsTag(value);
      this.tagless.set(value, tagless);
    }
    return tagless;
  }

  /** `target`: the DAG's target with its tags resolved, when it has any (e.g. a workflow parameter). */
  dagPlan(template: Template, target?: string): DagPlan {
    let plans = this.dagPlans.get(template);
    if (!plans) this.dagPlans.set(template, (plans = new Map()));
    let plan = plans.get(target);
    if (!plan) plans.set(target, (plan = planDag(template, target)));
    return plan;
  }
}

/**
 * Argo's templateDefaults: every template starts from them, its own fields winning; objects merge
 * key by key, lists and values are replaced. Only fields that apply to the template's kind are kept
 * (a default `container` does not turn a steps template into a pod).
 */
function withDefaults(defaults: Partial<Template>, template: Template): Template {
  const kinds = ['container', 'script', 'steps', 'dag', 'suspend', 'resource', 'data', 'http', 'containerSet', 'plugin'];
  const applicable = Object.fromEntries(Object.entries(defaults).filter(([key]) => !kinds.includes(key) || template[key] !== undefined));
  return merge(applicable, template) as Template;
}

function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = merge(base[key], value);
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function planDag(template: Template, target = template.dag?.target): DagPlan {
  const taskList = template.dag?.tasks ?? [];
  const tasks = new Map(taskList.map((task) => [task.name, task]));
  const continueOn = (name: string) => tasks.get(name)?.continueOn;
  const depends = new Map<string, ParsedDepends>();
  const dependents = new Map<string, string[]>();
  const roots: string[] = [];
  for (const task of taskList) {
    const parsed = parseDepends({ depends: task.depends, dependencies: task.dependencies }, continueOn);
    depends.set(task.name, parsed);
    if (parsed.taskNames.length === 0) roots.push(task.name);
    for (const dependency of new Set(parsed.taskNames)) {
      const list = dependents.get(dependency) ?? [];
      list.push(task.name);
      dependents.set(dependency, list);
    }
  }
  const explicitTargets = target?.split(/[\s,]+/).filter(Boolean);
  const targets = explicitTargets ?? taskList.filter((t) => !dependents.has(t.name)).map((t) => t.name);
  const needed = new Set<string>();
  const pending = [...targets];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (needed.has(name)) continue;
    needed.add(name);
    pending.push(...(depends.get(name)?.taskNames ?? []));
  }
  return { tasks, depends, dependents, roots, targets, needed, order: topologicalOrder(roots, depends, dependents) };
}

/** Kahn's algorithm; validation has already refused cycles, so every task is reached. */
function topologicalOrder(roots: string[], depends: Map<string, ParsedDepends>, dependents: Map<string, string[]>): string[] {
  // taskNames are unique (parseDepends collects them in a set).
  const waiting = new Map([...depends].map(([name, parsed]) => [name, parsed.taskNames.length]));
  const order = [...roots];
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i]!) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  return order;
}

/** Whether any key or string inside holds `{{`: what a search of its JSON finds, without writing the JSON. */
function holdsTag(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(holdsTag);
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) {
    if (key.includes('{{') || holdsTag((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
