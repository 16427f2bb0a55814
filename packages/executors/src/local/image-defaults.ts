// What a container image runs of its own (its ENTRYPOINT and CMD) and the names its tools go by on a
// host, for the images Argo's examples and tests use: the local executor has no image to read them
// from. The table is documented in docs/local-executor.md.
import type { BuiltinTool } from './builtin-tools.js';

/** What runs on the host for a command of the image: a program looked up on the node's PATH, or one of Regatta's own. */
type HostCommand = { program: string } | { builtin: BuiltinTool };

export interface ImageDefaults {
  entrypoint?: string[];
  cmd?: string[];
  /** Commands of the image (argv[0] exactly as written), and what stands for each where the host has none by that name. */
  aliases?: ReadonlyMap<string, HostCommand>;
  /**
   * The image's entrypoint script runs its arguments with this program when the first is an option or
   * not a command (the docker-entrypoint.sh of the node and curl images).
   */
  runsArgsWith?: string;
}

/** A shell with stdin at /dev/null exits 0 at once, whichever shell the image's CMD names (sh or bash). */
const SHELL: ImageDefaults = { cmd: ['sh'] };
const COWSAY: [string, HostCommand] = ['cowsay', { builtin: 'cowsay' }];

/** By repository, or by repository:tag where a tag differs from the rest. */
const IMAGES = new Map<string, ImageDefaults>([
  // v1 is Ubuntu with cowsay; v2 adds the /argosay script as its ENTRYPOINT, which clears v1's CMD.
  ['argoproj/argosay:v1', { cmd: ['cowsay'], aliases: new Map([COWSAY]) }],
  ['argoproj/argosay', { entrypoint: ['/argosay'], aliases: new Map([['/argosay', { builtin: 'argosay' }], COWSAY]) }],
  ['python', { cmd: ['python3'], aliases: new Map([['python', { program: 'python3' }]]) }],
  ['node', { cmd: ['node'], runsArgsWith: 'node' }],
  ['busybox', SHELL],
  ['alpine', SHELL],
  ['debian', SHELL],
  ['ubuntu', SHELL],
  ['docker/whalesay', SHELL],
  ['stedolan/jq', { entrypoint: ['jq'] }],
  ['jqlang/jq', { entrypoint: ['jq'] }],
  ['curlimages/curl', { cmd: ['curl'], runsArgsWith: 'curl' }],
]);

export function imageDefaults(image: string): ImageDefaults | undefined {
  const { repository, tag } = parseImage(image);
  return IMAGES.get(`${repository}:${tag}`) ?? IMAGES.get(repository);
}

/** `docker.io/library/python:3.12@sha256:…` → `{ repository: 'python', tag: '3.12' }`: the registry, `library/` and a digest dropped. */
export function parseImage(image: string): { repository: string; tag: string } {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  const parts = (tagged ? name.slice(0, colon) : name).split('/');
  // Docker's rule: a first component with a dot or a colon, or `localhost`, names a registry.
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  if (parts.length === 2 && parts[0] === 'library') parts.shift();
  return { repository: parts.join('/'), tag: tagged ? name.slice(colon + 1) : 'latest' };
}
