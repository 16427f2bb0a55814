// The S3-compatible server for tests: the benchmarks' (compiled with them, since `npm run bench` runs
// without vitest), imported from here by tests.
export { startS3Server, type S3Server } from '../../benchmarks/src/s3-server.js';
