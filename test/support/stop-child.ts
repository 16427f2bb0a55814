// A server a test started is stopped by its own process handle (never by name), and the test waits
// until it is gone, so the next test's port and files are free.
import type { ChildProcess } from 'node:child_process';

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
