// One worker thread's life on the extension host's side, shared by the parse and code clients:
// started on first use (never keeping the host alive), replaced after a failure or a restart, and
// given up for good only when it cannot start at all (the clients then answer on the host).
import { Worker } from 'node:worker_threads';

export class WorkerHost<Response> {
  private worker?: Worker;
  private broken = false;

  constructor(
    private readonly path: string,
    /** What the worker is, in messages ("parse worker"). */
    private readonly name: string,
    private readonly onMessage: (response: Response) => void,
    /** Called when the worker fails or is restarted: every request in flight is lost. */
    private readonly onLost: (e: Error) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** The running worker, started if need be; undefined when no worker can start. */
  get(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    try {
      const worker = new Worker(this.path);
      worker.unref();
      worker.on('message', (response: Response) => this.onMessage(response));
      worker.on('error', (e) => {
        this.log(`The ${this.name} failed: ${e.message}`);
        if (this.worker === worker) this.worker = undefined;
        this.onLost(e);
      });
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
      this.worker = worker;
    } catch (e) {
      this.log(`Could not start the ${this.name} (${(e as Error).message}); working on the extension host instead.`);
      this.broken = true;
    }
    return this.worker;
  }

  /** Stops the worker (a hung request); the next request starts a new one. */
  restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.onLost(new Error(`The ${this.name} was restarted.`));
    void old?.terminate();
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
