// The extension host's side of the parse worker. Requests are answered in order; a worker that
// fails or hangs is replaced, and parsing falls back to this thread only if no worker can start.
import { parseInsightsFile } from '../core/parse';
import type { InsightsFile } from '../core/model';
import { WorkerHost } from './workerHost';

export interface ParseRequest {
  id: number;
  file: string;
  text: string;
  byteSize: number;
  maxBytes: number;
}

export type ParseResponse =
  | { id: number; kind: 'head'; file: InsightsFile }
  | { id: number; kind: 'problems'; problems: InsightsFile['problems'] }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'error'; error: string };

/** A parse that takes longer than this is abandoned (the worker is restarted). */
const PARSE_TIMEOUT_MS = 20_000;

export class ParseClient {
  private readonly host: WorkerHost<ParseResponse>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (f: InsightsFile) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; file?: InsightsFile }>();

  constructor(workerPath: string, private readonly log: (message: string) => void = () => {}) {
    this.host = new WorkerHost(workerPath, 'parse worker', (r) => this.settle(r), (e) => this.failAll(e), log);
  }

  parse(file: string, text: string, byteSize: number, maxBytes: number): Promise<InsightsFile> {
    const worker = this.host.get();
    if (!worker) return Promise.resolve(parseInsightsFile(text, file, { maxBytes, byteSize }));
    const id = this.nextId++;
    return new Promise<InsightsFile>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.log(`Parsing ${file} took longer than ${PARSE_TIMEOUT_MS / 1000} s; restarting the parse worker.`);
        this.host.restart();
        reject(new Error(`Parsing ${file} took longer than ${PARSE_TIMEOUT_MS / 1000} s.`));
      }, PARSE_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, file, text, byteSize, maxBytes } satisfies ParseRequest);
    });
  }

  dispose(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('Customer Lens is shutting down.'));
    }
    this.pending.clear();
    this.host.dispose();
  }

  private settle(response: ParseResponse): void {
    const p = this.pending.get(response.id);
    if (!p) return;
    switch (response.kind) {
      case 'head':
        p.file = response.file;
        return;
      case 'problems':
        p.file?.problems.push(...response.problems);
        return;
      case 'done':
      case 'error':
        this.pending.delete(response.id);
        clearTimeout(p.timer);
        if (response.kind === 'done' && p.file) p.resolve(p.file);
        else p.reject(new Error(response.kind === 'error' ? response.error : 'The parse worker sent no model.'));
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
  }
}
