// Every workspace's imports of another workspace are declared, so that npm links and turbo builds
// what it needs before it (an undeclared one builds only by luck of order), and tsc -b has a reference
// for each. The CLI is no library: nothing imports it. The workspaces depend on each other without cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

interface Workspace {
  name: string;
  folder: string;
  /** Where its TypeScript lives; the root's is its cross-package tests. */
  sources: string;
  declared: Set<string>;
  /** Workspace folders its tsconfig references (none for the root: vitest compiles its tests). */
  references?: Set<string>;
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
}

function workspaces(): Workspace[] {
  const root = json('package.json') as { workspaces: string[] };
  const folders = root.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(join(ROOT, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern],
  );
  const read = (folder: string, sources: string, withReferences: boolean): Workspace => {
    const pkg = json(join(folder, 'package.json')) as { name: string; dependencies?: object; devDependencies?: object };
    const tsconfig = withReferences ? (json(join(folder, 'tsconfig.json')) as { references?: { path: string }[] }) : undefined;
    return {
      name: pkg.name,
      folder,
      sources,
      declared: new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })),
      ...(tsconfig && { references: new Set((tsconfig.references ?? []).map(({ path }) => join(folder, path))) }),
    };
  };
  return [...folders.map((folder) => read(folder, join(folder, 'src'), true)), read('.', 'test', false)];
}

/** The `@regatta/*` packages the TypeScript files under `folder` import, with the first file of each. */
function importsUnder(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        for (const [, pkg] of readFileSync(join(ROOT, path), 'utf8').matchAll(/(?:\bfrom|\bimport\s*\(?)\s*'(@regatta\/[a-z-]+)'/g)) if (!found.has(pkg!)) found.set(pkg!, path);
      }
    }
  };
  walk(folder);
  return found;
}

describe('workspace dependencies', () => {
  const all = workspaces();
  const byName = new Map(all.map((w) => [w.name, w]));
  const imports = new Map(all.map((w) => [w, importsUnder(w.sources)]));

  it('declares every workspace it imports, with a tsconfig reference to it', () => {
    const problems: string[] = [];
    for (const [w, found] of imports) {
      for (const [pkg, file] of found) {
        if (pkg === w.name) continue;
        if (!w.declared.has(pkg)) problems.push(`${file} imports ${pkg}, which ${w.folder}/package.json does not declare`);
        const target = byName.get(pkg);
        if (w.references && target && !w.references.has(target.folder)) problems.push(`${file} imports ${pkg}, which ${w.folder}/tsconfig.json does not reference`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no workspace importing the CLI', () => {
    const importers = [...imports].filter(([, found]) => found.has('@regatta/cli')).map(([, found]) => found.get('@regatta/cli'));
    expect(importers).toEqual([]);
  });

  it('has no cycle among the workspaces', () => {
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) return void cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
      if (done.has(name)) return;
      for (const dep of byName.get(name)?.declared ?? []) if (byName.has(dep)) visit(dep, [...path, name]);
      done.add(name);
    };
    for (const w of all) visit(w.name, []);
    expect(cycles).toEqual([]);
  });
});
