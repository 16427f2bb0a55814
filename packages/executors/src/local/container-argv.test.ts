import type { Container } from '@regatta/spec';
import { describe, expect, it } from 'vitest';
import { builtinArgv } from './builtin-tools.js';
import { containerArgv } from './container-argv.js';

/** A host whose PATH has these commands. */
function host(...commands: string[]): (command: string) => boolean {
  return (command) => command === process.execPath || commands.includes(command);
}
const anyHost = host('sh', 'echo', 'python', 'python3', 'node', 'curl', 'jq', '/tmp/.regatta/script');
const argv = (container: Container, isCommand = anyHost, script?: string) => containerArgv(container, script, isCommand);

describe("containerArgv, by Docker's rule", () => {
  it('runs command then args, and never the image CMD once a command is given', () => {
    expect(argv({ image: 'alpine', command: ['echo'], args: ['a', 'b'] })).toEqual({ argv: ['echo', 'a', 'b'] });
    expect(argv({ image: 'argoproj/argosay:v1', command: ['echo'] })).toEqual({ argv: ['echo'] });
  });

  it('runs args in place of the CMD of an image without ENTRYPOINT', () => {
    expect(argv({ image: 'alpine', args: ['echo', 'hi'] })).toEqual({ argv: ['echo', 'hi'] });
    expect(argv({ image: 'alpine', command: [], args: ['echo', 'hi'] })).toEqual({ argv: ['echo', 'hi'] });
  });

  it('runs the CMD when there are neither command nor args', () => {
    expect(argv({ image: 'busybox' })).toEqual({ argv: ['sh'] });
    expect(argv({ image: 'python:3.12', args: [] })).toEqual({ argv: ['python3'] });
  });

  it('puts the ENTRYPOINT before args', () => {
    expect(argv({ image: 'stedolan/jq', args: ['-n', '1'] })).toEqual({ argv: ['jq', '-n', '1'] });
  });

  it("appends a script template's file to the args, replacing the CMD", () => {
    const script = '/tmp/.regatta/script';
    expect(argv({ image: 'python:3.12', command: ['python3'], args: ['-u'] }, anyHost, script)).toEqual({ argv: ['python3', '-u', script] });
    expect(argv({ image: 'python:3.12' }, anyHost, script)).toEqual({ argv: [script] });
    expect(argv({ image: 'argoproj/argosay:v2' }, anyHost, script)).toEqual({ argv: [...builtinArgv('argosay'), script] });
  });

  it('runs args with node or curl when the first is an option or not a command, as their entrypoint scripts do', () => {
    expect(argv({ image: 'node:20', args: ['-e', '1'] })).toEqual({ argv: ['node', '-e', '1'] });
    expect(argv({ image: 'node:20', args: ['app.js'] })).toEqual({ argv: ['node', 'app.js'] });
    expect(argv({ image: 'node:20', args: ['sh', '-c', 'true'] })).toEqual({ argv: ['sh', '-c', 'true'] });
    expect(argv({ image: 'curlimages/curl', args: ['-s', 'http://x'] })).toEqual({ argv: ['curl', '-s', 'http://x'] });
    expect(argv({ image: 'curlimages/curl' })).toEqual({ argv: ['curl'] });
  });

  it('errors on an unknown image without a command, naming it', () => {
    expect(argv({ image: 'example.com/team/tool:1', args: ['x'] })).toEqual({
      error: `container "example.com/team/tool:1" has no command: the local executor does not know that image's entrypoint; give the template a command`,
    });
  });

  it('runs a script template of an unknown image by its file when it has neither command nor args', () => {
    expect(argv({ image: 'team/tool' }, anyHost, '/tmp/.regatta/script')).toEqual({ argv: ['/tmp/.regatta/script'] });
    expect(argv({ image: 'team/tool', args: ['-x'] }, anyHost, '/tmp/.regatta/script')).toHaveProperty('error');
  });
});

describe('containerArgv, aliases', () => {
  it('runs python3 for python in a python image only where python is not found', () => {
    expect(argv({ image: 'python:3.12', command: ['python', '-c', '1'] }, host('python3'))).toEqual({ argv: ['python3', '-c', '1'] });
    expect(argv({ image: 'python:3.12', command: ['python', '-c', '1'] }, host('python', 'python3'))).toEqual({ argv: ['python', '-c', '1'] });
    expect(argv({ image: 'alpine', command: ['python'] }, host('python3'))).toEqual({ argv: ['python'] });
  });

  it('keeps the command when its alias is missing too, so that the error names it', () => {
    expect(argv({ image: 'python:3.12', command: ['python'] }, host())).toEqual({ argv: ['python'] });
  });

  it("runs Regatta's argosay for /argosay, and its cowsay for cowsay, in argosay images", () => {
    expect(argv({ image: 'argoproj/argosay:v2', args: ['echo', 'hi'] })).toEqual({ argv: [...builtinArgv('argosay'), 'echo', 'hi'] });
    expect(argv({ image: 'argoproj/argosay:v2', command: ['/argosay'] })).toEqual({ argv: builtinArgv('argosay') });
    expect(argv({ image: 'argoproj/argosay:v1', args: ['cowsay', 'moo'] })).toEqual({ argv: [...builtinArgv('cowsay'), 'moo'] });
    expect(argv({ image: 'argoproj/argosay:v1', args: ['cowsay'] }, host('cowsay'))).toEqual({ argv: ['cowsay'] });
    expect(argv({ image: 'docker/whalesay', command: ['cowsay'] })).toEqual({ argv: ['cowsay'] });
  });
});
