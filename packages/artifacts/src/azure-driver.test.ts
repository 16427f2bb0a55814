import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { AccountSASPermissions, AccountSASResourceTypes, AccountSASServices, BlobServiceClient, generateAccountSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Artifact } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../../../test/support/azurite.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { accountName, azureDriver } from './azure-driver.js';
import { ArtifactNotFoundError } from './driver.js';

const NAMESPACE = 'argo';
let azurite: Azurite;
let work: string;
let sas: string;

beforeAll(async () => {
  azurite = await startAzurite();
  work = await mkdtemp(join(tmpdir(), 'regatta-azure-driver-test-'));
  const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
  await new BlobServiceClient(azurite.endpoint, credential).getContainerClient('artifacts').create();
  sas = generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3_600_000),
      permissions: AccountSASPermissions.parse('rwdl'),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      services: AccountSASServices.parse('b').toString(),
    },
    credential,
  ).toString();
});

afterAll(async () => {
  await azurite?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const secrets = () =>
  memorySecrets({
    [NAMESPACE]: { azure: { key: AZURITE_KEY, sas, wrong: Buffer.from('not the key').toString('base64') }, 'my-azure-credentials': { 'account-access-key': AZURITE_KEY } },
  });
const driver = () => azureDriver({ namespace: NAMESPACE, secrets: secrets() });

function artifact(blob: string, overrides: Partial<NonNullable<Artifact['azure']>> = {}): Artifact {
  return { name: 'out', azure: { endpoint: azurite.endpoint, container: 'artifacts', blob, accountKeySecret: { name: 'azure', key: 'key' }, ...overrides } };
}

describe('azure blob driver', () => {
  it('loads an input artifact written as Argo’s input-artifact-azure example writes it', async () => {
    const source = join(work, 'hello.txt');
    await writeFile(source, 'hello from azure');
    await driver().save(source, artifact('path/in/container'));
    const input = inputArtifact(`
      name: my-art
      path: /my-artifact
      azure:
        endpoint: ${azurite.endpoint}
        container: artifacts
        blob: path/in/container
        accountKeySecret:
          name: my-azure-credentials
          key: account-access-key
    `);
    await driver().load(input, join(work, 'my-artifact'));
    expect(await readFile(join(work, 'my-artifact'), 'utf8')).toBe('hello from azure');
  });

  it('saves a file as one blob and loads it back, streams it, lists it, and deletes it', async () => {
    const source = join(work, 'message.txt');
    await writeFile(source, 'hello azure');
    const stored = artifact('workflow/pod/message.txt');
    await driver().save(source, stored);

    const loaded = join(work, 'loaded', 'message.txt');
    await driver().load(stored, loaded);
    expect(await readFile(loaded, 'utf8')).toBe('hello azure');
    expect(await text(await driver().openStream(stored))).toBe('hello azure');
    expect(await driver().isDirectory(stored)).toBe(false);
    expect(await driver().list(stored)).toEqual(['workflow/pod/message.txt']);

    await driver().delete(stored);
    await expect(driver().load(stored, join(work, 'gone.txt'))).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await driver().delete(stored);
  });

  it('saves a folder as blobs under blob/, loads the tree back, and a second save leaves none of the first one’s extra files', async () => {
    const folder = join(work, 'tree');
    await mkdir(join(folder, 'sub', 'deeper'), { recursive: true });
    await writeFile(join(folder, 'a.txt'), 'a');
    await writeFile(join(folder, 'sub', 'b.txt'), 'b');
    await writeFile(join(folder, 'sub', 'deeper', 'c.txt'), 'c');
    const stored = artifact('workflow/pod/tree');
    await driver().save(folder, stored);
    expect(await driver().isDirectory(stored)).toBe(true);
    expect(await driver().list(stored)).toEqual(['workflow/pod/tree/a.txt', 'workflow/pod/tree/sub/b.txt', 'workflow/pod/tree/sub/deeper/c.txt']);

    const loaded = join(work, 'tree-loaded');
    await driver().load(stored, loaded);
    expect(await readFile(join(loaded, 'sub', 'deeper', 'c.txt'), 'utf8')).toBe('c');
    await expect(driver().openStream(stored)).rejects.toThrow('is a folder of blobs');

    await rm(join(folder, 'sub'), { recursive: true });
    await driver().save(folder, stored);
    expect(await driver().list(stored)).toEqual(['workflow/pod/tree/a.txt']);
    await driver().delete(stored);
    expect(await driver().list(stored)).toEqual([]);
  });

  it('takes an empty blob as the whole container, a folder', async () => {
    await new BlobServiceClient(azurite.endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getContainerClient('whole').create();
    const folder = join(work, 'whole');
    await mkdir(folder);
    await writeFile(join(folder, 'one.txt'), '1');
    const container = artifact('', { container: 'whole' });
    await driver().save(folder, container);
    expect(await driver().isDirectory(container)).toBe(true);
    expect(await driver().list(container)).toEqual(['one.txt']);
    await driver().load(container, join(work, 'whole-loaded'));
    expect(await readFile(join(work, 'whole-loaded', 'one.txt'), 'utf8')).toBe('1');
    await expect(driver().save(join(folder, 'one.txt'), container)).rejects.toThrow('azure.blob is needed to store a file');
  });

  it('streams a file larger than one block up and down whole', async () => {
    const source = join(work, 'large.bin');
    const content = Buffer.alloc(9 * 1024 * 1024 + 7, 'z');
    await writeFile(source, content);
    const stored = artifact('workflow/pod/large.bin');
    await driver().save(source, stored);
    await driver().load(stored, join(work, 'large-loaded.bin'));
    expect((await readFile(join(work, 'large-loaded.bin'))).equals(content)).toBe(true);
  });

  it('takes a SAS token in accountKeySecret, as Argo does', async () => {
    const source = join(work, 'sas.txt');
    await writeFile(source, 'signed');
    const stored = artifact('workflow/pod/sas.txt', { accountKeySecret: { name: 'azure', key: 'sas' } });
    await driver().save(source, stored);
    expect(await text(await driver().openStream(stored))).toBe('signed');
  });

  it('names the container, blob and endpoint when the container is missing or the key is refused, in one line', async () => {
    const missing = artifact('a/b', { container: 'nothing-here' });
    const failure = driver().list(missing);
    await expect(failure).rejects.toThrow(`azure container nothing-here at ${azurite.endpoint}, blob a/b: container nothing-here does not exist`);
    await expect(driver().openStream(artifact('a/b', { accountKeySecret: { name: 'azure', key: 'wrong' } }))).rejects.toThrow(
      new RegExp(`^azure container artifacts at ${azurite.endpoint.replace(/[.]/g, '\\.')}, blob a/b: the credentials were refused \\([^\\n]*\\)$`),
    );
    await expect(driver().load(artifact('a/b', { accountKeySecret: undefined }), join(work, 'x'))).rejects.toThrow('accountKeySecret is needed unless useSDKCreds is true');
  });
});

describe('azure account name', () => {
  it('is the first host label of the service endpoint, or the first path part for an emulator by address', () => {
    expect(accountName('https://myaccount.blob.core.windows.net', 'here')).toBe('myaccount');
    expect(accountName('http://127.0.0.1:10000/devstoreaccount1', 'here')).toBe('devstoreaccount1');
    expect(accountName('http://localhost:10000/devstoreaccount1/', 'here')).toBe('devstoreaccount1');
    expect(() => accountName('http://127.0.0.1:10000', 'azure container c')).toThrow('azure container c: the storage account cannot be told from the endpoint');
  });
});
