// The baseline's consumer: a BullMQ Worker with concurrency 50 that does nothing per job. It says
// when it has processed the warm-up jobs, then when it has processed the measured ones too.
import { Worker } from 'bullmq';
import { connectRedis } from '@regatta/store';

const [redisUrl, prefix, queueName, warmup, measured] = process.argv.slice(2);
const connection = connectRedis(redisUrl!, { maxRetriesPerRequest: null });
let completed = 0;
const worker = new Worker(queueName!, async () => {}, { connection, prefix, concurrency: 50 });
worker.on('completed', () => {
  completed++;
  if (completed === Number(warmup)) process.send?.('warm');
  if (completed === Number(warmup) + Number(measured)) process.send?.('done');
});
await worker.waitUntilReady();
process.send?.('ready');
