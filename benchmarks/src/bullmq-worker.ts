// The baseline's consumer: a BullMQ Worker with concurrency 50 that does nothing per job, and says
// when it has processed the expected number.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [redisUrl, prefix, expected] = process.argv.slice(2);
const connection = new Redis(redisUrl!, { maxRetriesPerRequest: null });
let completed = 0;
const worker = new Worker('bare', async () => {}, { connection, prefix, concurrency: 50 });
worker.on('completed', () => {
  if (++completed === Number(expected)) process.send?.('done');
});
await worker.waitUntilReady();
process.send?.('ready');
