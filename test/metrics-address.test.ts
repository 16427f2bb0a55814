// Where /metrics listens: loopback unless told, a chosen address with --metrics-address or
// REGATTA_METRICS_ADDRESS (0.0.0.0 in a container). Every 127.x.y.z address is loopback on Linux, so
// 127.0.0.2 stands for "another address of this host".
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
afterAll(() => removePrefix(prefix));

/** Starts a noop worker with metrics on a free port, and gives the port it logged and the addresses that answer there. */
async function answeringAddresses(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const worker = startService(['worker', '--executor', 'noop', '--metrics-port', '0', ...args], prefix, env);
  try {
    const line = await until('the worker to serve /metrics', async () => worker.output().split('\n').find((l) => l.includes('serving /metrics')));
    const { port } = JSON.parse(line) as { port: number };
    const answered: string[] = [];
    for (const address of ['127.0.0.1', '127.0.0.2']) {
      const status = await fetch(`http://${address}:${port}/metrics`).then((response) => response.status, () => undefined);
      if (status === 200) answered.push(address);
    }
    return answered;
  } finally {
    await stopService(worker.child);
  }
}

describe('the metrics address', () => {
  it('is loopback (127.0.0.1) unless told', async () => {
    expect(await answeringAddresses([])).toEqual(['127.0.0.1']);
  });

  it('is the address --metrics-address names', async () => {
    expect(await answeringAddresses(['--metrics-address', '127.0.0.2'])).toEqual(['127.0.0.2']);
  });

  it('is every address with REGATTA_METRICS_ADDRESS=0.0.0.0, and the flag wins over it', async () => {
    expect(await answeringAddresses([], { REGATTA_METRICS_ADDRESS: '0.0.0.0' })).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(await answeringAddresses(['--metrics-address', '127.0.0.1'], { REGATTA_METRICS_ADDRESS: '0.0.0.0' })).toEqual(['127.0.0.1']);
  });

  it('must be an IP address, named in the error', async () => {
    const flag = await regatta(['scheduler', '--metrics-port', '0', '--metrics-address', 'everywhere'], prefix);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('--metrics-address must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got "everywhere"');
    const env = await regatta(['worker'], prefix, { REGATTA_METRICS_ADDRESS: 'localhost:9090' });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('REGATTA_METRICS_ADDRESS must be an IP address');
  });

  it('stops the service, saying why, when its port is taken', async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const worker = await regatta(['worker', '--executor', 'noop', '--metrics-port', String(port)], prefix);
      expect(worker.code).toBe(1);
      expect(worker.stderr).toContain(`cannot serve /metrics on 127.0.0.1 port ${port}: listen EADDRINUSE`);
    } finally {
      taken.close();
    }
  });
});
