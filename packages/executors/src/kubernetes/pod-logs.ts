// A running pod's containers' logs through the API server (pods/log, follow), line by line to the
// node's log: the main containers' as they are, the sidecars' behind `[<name>]`, as the local executor.
import { Writable } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import { LineSplitter } from '../local/output-capture.js';
import type { KubeClient } from './kube-client.js';

export interface LogStreams {
  /** Resolves once every stream has ended (the containers exited) or failed. */
  ended: Promise<void>;
  stop(): void;
}

export function followLogs(
  client: KubeClient,
  pod: { namespace: string; name: string },
  containers: { name: string; prefix?: string }[],
  onLine: (line: string) => void,
  warn: (message: string) => void,
): LogStreams {
  const controllers: AbortController[] = [];
  let stopped = false;
  const streams = containers.map(({ name, prefix }) => {
    const splitter = new LineSplitter((line) => onLine(prefix ? `[${prefix}] ${line}` : line));
    return new Promise<void>((resolve) => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          splitter.push(chunk);
          callback();
        },
        final(callback) {
          splitter.end();
          callback();
          resolve();
        },
      });
      sink.on('error', () => resolve());
      sink.on('close', () => resolve());
      void (async () => {
        await client.throttle();
        if (stopped) return resolve();
        controllers.push(await new Log(client.config).log(pod.namespace, pod.name, name, sink, { follow: true }));
      })().catch((error: Error) => {
        if (!stopped) warn(`logs of ${pod.namespace}/${pod.name} container "${name}": ${error.message}`);
        resolve();
      });
    });
  });
  return {
    ended: Promise.all(streams).then(() => undefined),
    stop: () => {
      stopped = true;
      for (const controller of controllers) controller.abort();
    },
  };
}
