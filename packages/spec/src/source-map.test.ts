import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatPath, SourceLocator } from './source-map.js';

function locatorFor(text: string): SourceLocator {
  const lines = new LineCounter();
  return new SourceLocator(parseDocument(text, { lineCounter: lines, merge: true }), lines);
}

const DAG = `spec:
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, dependencies: [B, C]}
      - name: B
        depends:
`;

describe('finding a field in the YAML text', () => {
  it("writes paths in Argo's dotted form", () => {
    expect(formatPath(['spec', 'templates', 2, 'dag', 'tasks', 1, 'dependencies', 0])).toBe('spec.templates[2].dag.tasks[1].dependencies[0]');
    expect(formatPath(['spec', 'templates', 0, 'steps', 1, 0])).toBe('spec.templates[0].steps[1][0]');
  });

  it('points at the node a path names, through maps and lists in block and flow style', () => {
    const locator = locatorFor(DAG);
    expect(locator.locate(['spec', 'templates', 0, 'dag', 'tasks', 0, 'dependencies', 1])).toEqual({ line: 6, column: 37 });
    expect(locator.locate(['spec', 'templates', 0, 'dag'])).toEqual({ line: 5, column: 7 });
  });

  it('points at the parent of a field that is not written', () => {
    expect(locatorFor(DAG).locate(['spec', 'templates', 0, 'dag', 'tasks', 1, 'template'])).toEqual({ line: 7, column: 9 });
    expect(locatorFor(DAG).locate(['spec', 'templates', 5, 'name'])).toEqual({ line: 3, column: 3 });
  });

  it('points at the key of a field written with no value', () => {
    expect(locatorFor(DAG).locate(['spec', 'templates', 0, 'dag', 'tasks', 1, 'depends'])).toEqual({ line: 8, column: 9 });
  });

  it('follows an alias into what its anchor names', () => {
    const locator = locatorFor(`defaults: &d\n  image: busybox\nuse: *d\n`);
    expect(locator.locate(['use', 'image'])).toEqual({ line: 2, column: 10 });
  });
});
