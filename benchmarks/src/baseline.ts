// The yardstick: bare BullMQ moving the same number of no-op jobs through one queue, the producer
// here and a tuned Worker in a child process, on the same Redis, in the same run. Both warm up on
// a tenth as many jobs first, as the system under test does on a smaller workflow.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis } from '@regatta/store';

export const BARE_WORKER = fileURLToPath(new URL('./bullmq-worker.js', import.meta.url));

export async function bareBullmqJobsPerSecond(redisUrl: string, prefix: string, jobs: number): Promise<number> {
  const connection = connectRedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bare', { connection, prefix });
  const warmup = Math.ceil(jobs / 10);
  const worker = fork(BARE_WORKER, [redisUrl, prefix, 'bare', String(warmup), String(jobs)]);
  const said = (message: string) => new Promise<void>((resolve) => worker.on('message', (m) => m === message && resolve()));
  const [ready, warm, done] = [said('ready'), said('warm'), said('done')];
  await ready;
  await addNoops(queue, warmup);
  await warm;
  const started = performance.now();
  await addNoops(queue, jobs);
  await done;
  const seconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  worker.kill();
  return jobs / seconds;
}

async function addNoops(queue: Queue, jobs: number): Promise<void> {
  for (let i = 0; i < jobs; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: true } }));
    await queue.addBulk(batch);
  }
}
