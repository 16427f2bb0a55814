// The baseline's consumer: a BullMQ Worker with concurrency 50 that does nothing per job, and says
// when it has processed the expected number.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [redisUrl, prefix, expected] = process.argv.slice(2);
const connection = new Redis(redisUrl!, { maxRetriesPerRequest: null });
let processed = 0;
const worker = new Worker(
  'bare',
  async () => {
    if (++processed === Number(expected)) process.send?.('done');
  },
  { connection, prefix, concurrency: 50 },
);
await worker.waitUntilReady();
process.send?.('ready');
