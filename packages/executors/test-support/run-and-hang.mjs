// A stand-in worker for the orphan test: runs one node through the built local executor and waits,
// so the test can kill this process with SIGKILL while the node and its children still run.
import { LocalExecutor } from '../dist/index.js';

const [workDir, marker] = process.argv.slice(2);
const sleeper = (seconds) => `python3 -c "import time; time.sleep(${seconds})" ${marker}`;
const executor = new LocalExecutor({ workDir });
void executor.run(
  {
    workflow: { name: 'w', namespace: 'default', uid: 'orphan' },
    nodeId: 'node',
    nodeName: 'node',
    attempt: 0,
    templateName: 't',
    container: { image: 'busybox', command: ['sh', '-c', `${sleeper(60)} & ${sleeper(61)} & echo started; wait`] },
  },
  { signal: new AbortController().signal, onLog: (_stream, line) => process.stdout.write(`${line}\n`) },
);
