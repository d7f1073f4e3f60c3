// A minimal Language Server Protocol client for tests: JSON-RPC 2.0 over a child process's stdio,
// with Content-Length framing, as an editor speaks to a language server. It answers the server's
// own requests (workspace/configuration and the like) and collects textDocument/publishDiagnostics.
// Every wait is bounded; close() ends the server (politely, then by signal).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspDiagnostic {
  range: { start: LspPosition; end: LspPosition };
  /** 1 error, 2 warning, 3 information, 4 hint. */
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** The largest message accepted from the server (a guard against a runaway stream). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly diagnosticWaiters = new Map<string, ((d: LspDiagnostic[]) => void)[]>();
  /** The latest diagnostics the server published, by document URI. */
  readonly diagnostics = new Map<string, LspDiagnostic[]>();
  private stderr = '';
  private exited = false;
  private failure?: Error;
  /** Rejects when the server fails or exits: every wait races it. */
  private readonly ended: Promise<never>;
  private rejectEnded: (e: Error) => void = () => undefined;

  /**
   * Starts the server. `answer` replies to the server's requests (`workspace/configuration`…);
   * undefined answers null.
   */
  constructor(command: string, args: string[], private readonly answer: (method: string, params: unknown) => unknown = () => null) {
    this.ended = new Promise<never>((_, reject) => {
      this.rejectEnded = reject;
    });
    this.ended.catch(() => undefined);
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString('utf8');
    });
    this.child.on('error', (e) => this.fail(e));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.fail(new Error(`the language server exited (${signal ?? code})${this.stderr ? `: ${this.stderr.slice(0, 2000)}` : ''}`));
    });
    this.child.stdin.on('error', () => undefined);
  }

  /** What the server wrote on stderr (its log), first 64 KB. */
  get log(): string {
    return this.stderr;
  }

  request<T = unknown>(method: string, params: unknown, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    return this.bounded(new Promise<Message>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    }), timeoutMs, `${method} (request ${id})`, () => this.pending.delete(id)).then((m) => {
      if (m.error) throw new Error(`${method}: ${m.error.message}`);
      return m.result as T;
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next diagnostics the server publishes for `uri` (from now on), within `timeoutMs`. */
  nextDiagnostics(uri: string, timeoutMs = 10_000): Promise<LspDiagnostic[]> {
    let waiter: ((d: LspDiagnostic[]) => void) | undefined;
    const promise = new Promise<LspDiagnostic[]>((resolve) => {
      waiter = resolve;
      const list = this.diagnosticWaiters.get(uri) ?? [];
      list.push(resolve);
      this.diagnosticWaiters.set(uri, list);
    });
    return this.bounded(promise, timeoutMs, `publishDiagnostics for ${uri}`, () => {
      const list = this.diagnosticWaiters.get(uri);
      if (list && waiter) list.splice(list.indexOf(waiter), 1);
    });
  }

  /** shutdown and exit, as an editor closes a server; then a signal if it is still running. */
  async close(): Promise<void> {
    if (!this.exited && !this.failure) {
      try {
        await this.request('shutdown', null, 5_000);
        this.notify('exit', null);
      } catch {
        // A server that cannot shut down is killed below.
      }
    }
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    this.child.kill('SIGTERM');
    await gone;
    clearTimeout(timer);
  }

  private send(message: Message): void {
    if (this.failure) throw this.failure;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    // Each turn consumes one whole message or stops; the buffer only shrinks inside the loop.
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const m = /(?:^|\r\n)Content-Length: *(\d+)/i.exec(header);
      const length = m ? Number(m[1]) : NaN;
      if (!Number.isSafeInteger(length) || length > MAX_MESSAGE_BYTES) {
        this.fail(new Error(`bad message header from the language server: ${JSON.stringify(header.slice(0, 200))}`));
        return;
      }
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      let message: Message;
      try {
        message = JSON.parse(body) as Message;
      } catch (e) {
        this.fail(new Error(`unreadable message from the language server: ${(e as Error).message}`));
        return;
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined) {
      // A response to one of ours.
      const waiting = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
      if (waiting) {
        this.pending.delete(message.id as number);
        waiting.resolve(message);
      }
      return;
    }
    if (message.id !== undefined && message.id !== null) {
      // A request from the server: answer it, or it may wait for ever.
      let result: unknown = null;
      try {
        result = this.answer(message.method, message.params) ?? null;
      } catch {
        result = null;
      }
      this.send({ jsonrpc: '2.0', id: message.id, result });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const params = message.params as { uri: string; diagnostics: LspDiagnostic[] };
      this.diagnostics.set(params.uri, params.diagnostics);
      const waiters = this.diagnosticWaiters.get(params.uri) ?? [];
      this.diagnosticWaiters.delete(params.uri);
      for (const w of waiters) w(params.diagnostics);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.rejectEnded(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private bounded<T>(promise: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new Error(`no answer from the language server within ${ms} ms: ${what}${this.stderr ? `\nserver log:\n${this.stderr.slice(-2000)}` : ''}`));
      }, ms);
    });
    return Promise.race([promise, timeout, this.ended]).finally(() => clearTimeout(timer));
  }
}
