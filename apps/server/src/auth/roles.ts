// What each role may do: Argo's roles as its quick-start ClusterRoles give them (argo-view,
// argo-edit, argo-admin), reduced to the verbs a route asks for.

export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const READ: readonly Verb[] = ['get', 'list', 'watch'];
const ROLE_VERBS: Record<Role, ReadonlySet<Verb>> = {
  viewer: new Set(READ),
  // Controls (stop, retry, ...) are updates; submit is a create.
  editor: new Set(VERBS),
  admin: new Set(VERBS),
};

export function roleAllows(role: Role, verb: Verb): boolean {
  return ROLE_VERBS[role].has(verb);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
