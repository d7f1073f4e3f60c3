// The extension host's side of the code worker. One worker serves every workspace folder; a
// request that takes too long restarts it. With no worker at all (it failed to start) the host
// answers without syntax: tags then cover their lines, symbols fall back to a textual search.
import type { FileRefs } from '../core/codeRefs';
import { scanCodeText } from '../core/codeRefs';
import { compileTrackers } from '../core/trackers';
import type { FileSyntax } from '../core/syntax/types';
import type { CodeRequest, CodeResponse, ScanSettings } from './codeProtocol';
import { WorkerHost } from './workerHost';

/** A request taking longer than this is abandoned and the worker restarted (a folder scan: 10 min). */
const REQUEST_TIMEOUT_MS = 30_000;
const SCAN_TIMEOUT_MS = 600_000;

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;
type Body = Distributive<Exclude<CodeRequest, { kind: 'cancel' }>>;

interface Pending {
  onMessage(response: CodeResponse): void;
  /** The worker is gone or failed on this request: the caller answers without it. */
  fail(e: Error): void;
  timer: NodeJS.Timeout;
}

export class CodeClient {
  private readonly host: WorkerHost<CodeResponse>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(workerPath: string, private readonly log: (message: string) => void = () => {}) {
    this.host = new WorkerHost(workerPath, 'code worker', (r) => this.pending.get(r.id)?.onMessage(r), (e) => this.failAll(e), log);
  }

  /** The syntax of a text; undefined without a grammar for its language (or without a worker). */
  async syntax(file: string, text: string): Promise<FileSyntax | undefined> {
    let result: FileSyntax | undefined;
    const ok = await this.request({ kind: 'syntax', file, text }, (r) => {
      if (r.kind === 'syntax') result = r.syntax;
    });
    return ok ? result : undefined;
  }

  /** The syntax and references of one text; without a worker, references scanned here without syntax. */
  async analyze(file: string, text: string, settings: ScanSettings): Promise<{ syntax?: FileSyntax; refs: FileRefs }> {
    let result: { syntax?: FileSyntax; refs: FileRefs } | undefined;
    const ok = await this.request({ kind: 'analyze', file, text, settings }, (r) => {
      if (r.kind === 'analyzed') result = { syntax: r.syntax, refs: r.refs };
    });
    if (ok && result) return result;
    return { refs: scanCodeText(text, file, { whyTag: settings.whyTag, trackers: compileTrackers(settings.trackers) }) };
  }

  /**
   * The files of a folder on disk, listed in the worker by the checker's policy: plain sorted
   * strings, so the host never deserialises and maps thousands of URIs. Undefined without a worker.
   */
  async listFiles(root: string): Promise<string[] | undefined> {
    let files: string[] | undefined;
    const ok = await this.request({ kind: 'list', root }, (r) => {
      if (r.kind === 'listed') files = r.files;
    });
    return ok ? files : undefined;
  }

  /** References of texts read by the host. */
  async scanTexts(items: { file: string; text: string }[], settings: ScanSettings): Promise<FileRefs[]> {
    const out: FileRefs[] = [];
    const ok = await this.request({ kind: 'scanTexts', items, settings }, (r) => {
      if (r.kind === 'refs') out.push(...r.refs);
    });
    if (ok) return out;
    // No worker: scan here without syntax (tags cover their lines); the texts are small edits.
    const trackers = compileTrackers(settings.trackers);
    return items.map(({ file, text }) => scanCodeText(text, file, { whyTag: settings.whyTag, trackers }));
  }

  /** References of files on disk; every requested file gets an answer (empty when it has none). */
  async scanPaths(root: string, files: string[], settings: ScanSettings): Promise<FileRefs[] | undefined> {
    const out: FileRefs[] = [];
    const ok = await this.request({ kind: 'scanPaths', root, files, settings }, (r) => {
      if (r.kind === 'refs') out.push(...r.refs);
    });
    return ok ? out : undefined;
  }

  /**
   * Scans a whole folder on disk, handing batches of references over as they come. Resolves false
   * when no worker could do it (the caller falls back to reading through the workspace file system).
   */
  scanFolder(root: string, settings: ScanSettings, onRefs: (refs: FileRefs[]) => void, onProgress: (done: number, total: number) => void): Promise<boolean> {
    return this.request({ kind: 'scanFolder', root, settings }, (r) => {
      if (r.kind === 'refs') onRefs(r.refs);
      else if (r.kind === 'progress') onProgress(r.done, r.total);
    }, SCAN_TIMEOUT_MS);
  }

  dispose(): void {
    this.failAll(new Error('Customer Lens is shutting down.'));
    this.host.dispose();
  }

  /**
   * Sends a request; resolves true when it completed, false when no worker could answer (none
   * starts, it failed or hung on this request): callers then answer on the host, never throw.
   */
  private request(body: Body, onPart: (r: CodeResponse) => void, timeoutMs = REQUEST_TIMEOUT_MS): Promise<boolean> {
    const worker = this.host.get();
    if (!worker) return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.log(`The code worker took longer than ${timeoutMs / 1000} s on a ${body.kind} request; restarting it.`);
        this.host.restart();
        resolve(false);
      }, timeoutMs);
      this.pending.set(id, {
        timer,
        fail: (e) => {
          this.log(`The code worker could not answer a ${body.kind} request: ${e.message}`);
          resolve(false);
        },
        onMessage: (r) => {
          if (r.kind === 'error') {
            this.finish(id);
            this.log(`The code worker failed on a ${body.kind} request: ${r.error}`);
            resolve(false);
          } else if (r.kind === 'done' || r.kind === 'syntax' || r.kind === 'analyzed' || r.kind === 'listed') {
            onPart(r);
            this.finish(id);
            resolve(true);
          } else {
            onPart(r);
          }
        },
      });
      worker.postMessage({ ...body, id } as CodeRequest);
    });
  }

  private finish(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private failAll(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.fail(e);
    }
  }
}
