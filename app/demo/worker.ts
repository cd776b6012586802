/**
 * A demo worker thread: runs the tasks a `TaskPool` posts (`runTask`) on the backend it is given,
 * and posts back their log lines, results and errors.
 */
import { parentPort, workerData } from 'worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { selectBackend } from '../cli/backend';
import { oneLine } from '../cli/errors';
import type { WorkerMessage } from './pool';
import { DemoTask, runTask } from './run-demo';

const port = parentPort!;
const ready = selectBackend((workerData as { backend: string }).backend, tf);
const post = (message: WorkerMessage) => port.postMessage(message);

port.on('message', async ({ id, task }: { id: number; task: DemoTask }) => {
  try {
    await ready;
    post({ id, result: await runTask(task, (line) => post({ id, log: line })) });
  } catch (e) {
    post({ id, error: oneLine(e) });
  }
});
