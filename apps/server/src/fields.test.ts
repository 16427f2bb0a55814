// Argo's `fields` projection and the field selector of lists: what is kept, dropped and refused.
import { describe, expect, it } from 'vitest';
import { parseFields, project, shows } from './fields.js';
import { parseFieldSelector } from './workflow-list.js';

const list = { metadata: { continue: 'c' }, items: [{ metadata: { name: 'a', uid: 'u' }, status: { phase: 'Running', nodes: { n: {} } } }] };

describe('fields', () => {
  it('keeps only the listed paths, through arrays', () => {
    expect(project(list, parseFields('metadata,items.metadata.name'))).toEqual({ metadata: { continue: 'c' }, items: [{ metadata: { name: 'a' } }] });
  });

  it('drops the paths after a leading minus', () => {
    expect(project(list, parseFields('-items.status.nodes,-items.metadata.uid'))).toEqual({ metadata: { continue: 'c' }, items: [{ metadata: { name: 'a' }, status: { phase: 'Running' } }] });
  });

  it('says whether a path is shown, so it is read only then', () => {
    expect(shows(undefined, 'items.status.nodes')).toBe(true);
    expect(shows(parseFields('-items.status.nodes'), 'items.status.nodes')).toBe(false);
    expect(shows(parseFields('items.status'), 'items.status.nodes')).toBe(true);
    expect(shows(parseFields('items.metadata.name'), 'items.status.nodes')).toBe(false);
  });
});

describe('field selectors', () => {
  it('parses =, == and != on the fields a workflow can be selected by', () => {
    expect(parseFieldSelector('metadata.name=a, status.phase!=Running,metadata.uid==x', 'q')).toEqual([
      { path: 'metadata.name', equal: true, value: 'a' },
      { path: 'status.phase', equal: false, value: 'Running' },
      { path: 'metadata.uid', equal: true, value: 'x' },
    ]);
  });

  it('refuses other fields and other syntax, naming the place', () => {
    expect(() => parseFieldSelector('spec.entrypoint=a', 'query.fs')).toThrow(/query\.fs: field "spec\.entrypoint"/);
    expect(() => parseFieldSelector('metadata.name', 'query.fs')).toThrow(/query\.fs: "metadata\.name" is not/);
  });
});
