import { describe, expect, it } from 'vitest';
import { imageDefaults, parseImage } from './image-defaults.js';

describe('parseImage', () => {
  it.each([
    ['python', 'python', 'latest'],
    ['python:3.12', 'python', '3.12'],
    ['docker.io/library/python:3.12', 'python', '3.12'],
    ['library/python:alpine3.23', 'python', 'alpine3.23'],
    ['quay.io/argoproj/argosay:v2', 'argoproj/argosay', 'v2'],
    ['localhost:5000/alpine', 'alpine', 'latest'],
    ['localhost/team/tool:1', 'team/tool', '1'],
    ['busybox@sha256:0123abcd', 'busybox', 'latest'],
    ['alpine:3.23@sha256:0123abcd', 'alpine', '3.23'],
    ['alpine/git:v2.26.2', 'alpine/git', 'v2.26.2'],
  ])('reads %s as repository %s, tag %s', (image, repository, tag) => {
    expect(parseImage(image)).toEqual({ repository, tag });
  });
});

describe('imageDefaults', () => {
  it('tells argosay v1 (cowsay as CMD) from v2 (/argosay as ENTRYPOINT)', () => {
    expect(imageDefaults('argoproj/argosay:v1')).toMatchObject({ cmd: ['cowsay'] });
    expect(imageDefaults('docker.io/argoproj/argosay:v2')).toMatchObject({ entrypoint: ['/argosay'] });
  });

  it('matches a repository whatever its registry and tag, and nothing else by prefix', () => {
    expect(imageDefaults('python:3.12-slim')).toMatchObject({ cmd: ['python3'] });
    expect(imageDefaults('ghcr.io/curlimages/curl:8.1.0')).toMatchObject({ runsArgsWith: 'curl' });
    expect(imageDefaults('alpine/git')).toBeUndefined();
    expect(imageDefaults('constructor')).toBeUndefined();
  });
});
