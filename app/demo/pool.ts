import { existsSync } from 'fs';
import { Worker } from 'worker_threads';

/** What a worker posts back: a log line of a task, its result, or its error. */
export type WorkerMessage =
  { id: number; log: string } | { id: number; result: unknown } | { id: number; error: string };

interface Pending<Task> {
  id: number;
  task: Task;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * Runs independent tasks on `size` worker threads, each running `file` (a module that answers
 * `{ id, task }` messages with `WorkerMessage`s), first come first served. With one worker, or
 * when `file` is not there (the sources run under a TypeScript loader, as in the tests), the tasks
 * run one after another in this thread through `runHere` instead. Results are structured clones.
 */
export class TaskPool<Task> {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending<Task>>();
  private readonly queue: Pending<Task>[] = [];
  private nextId = 0;
  private chain: Promise<unknown> = Promise.resolve(); // in-thread tasks, in order

  constructor(
    size: number,
    private readonly file: string,
    private readonly workerData: unknown,
    private readonly runHere: (task: Task, log: (line: string) => void) => Promise<unknown>,
    private readonly log: (line: string) => void,
  ) {
    this.size = size > 1 && existsSync(file) ? size : 1;
  }

  /** The task's result, once a worker (or this thread) has run it; `first` puts it before the queued tasks. */
  run<Result>(task: Task, first = false): Promise<Result> {
    if (this.size === 1) {
      const result = this.chain.then(() => this.runHere(task, this.log));
      this.chain = result.catch(() => undefined);
      return result as Promise<Result>;
    }
    return new Promise<Result>((resolve, reject) => {
      const pending = { id: this.nextId++, task, resolve: resolve as (r: unknown) => void, reject };
      if (first) this.queue.unshift(pending);
      else this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Stops the workers (tasks still queued are rejected). */
  async close(): Promise<void> {
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the task pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage({ id: pending.id, task: pending.task });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.file, { workerData: this.workerData });
    this.workers.push(worker);
    worker.on('message', (message: WorkerMessage) => {
      if ('log' in message) return this.log(message.log);
      const pending = this.busy.get(worker)!;
      this.busy.delete(worker);
      if ('error' in message) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
      this.idle.push(worker);
      this.dispatch();
    });
    // A worker that dies takes its task with it; the others go on.
    worker.on('error', (error) => {
      this.busy.get(worker)?.reject(error);
      this.busy.delete(worker);
      this.workers.splice(this.workers.indexOf(worker), 1);
      this.dispatch();
    });
    return worker;
  }
}
