// Runs in a worker thread: parses code with the tree-sitter grammars and scans folders for
// references, with the same modules as the CLI, so the editor and `customer-lens` always agree.
import { parentPort } from 'node:worker_threads';
import { scanCodeText } from '../core/codeRefs';
import type { FileRefs } from '../core/codeRefs';
import { compileTrackers } from '../core/trackers';
import { SyntaxParser, defaultWasmDir } from '../syntax/treeSitter';
import { listFolder, scanFolder, scanPaths } from '../scan/nodeScan';
import { REFS_PER_MESSAGE } from './codeProtocol';
import type { CodeRequest, CodeResponse, ScanSettings } from './codeProtocol';

let parser: Promise<SyntaxParser | undefined> | undefined;
const cancelled = new Set<number>();

/** The parser, loaded once; undefined when the grammars cannot load (tags then cover their lines). */
function syntaxParser(): Promise<SyntaxParser | undefined> {
  // A scan parses every tagged file once; a few hundred entries serve the open editors.
  parser ??= SyntaxParser.create(defaultWasmDir(), { cacheEntries: 256 }).catch(() => undefined);
  return parser;
}

function post(response: CodeResponse): void {
  parentPort!.postMessage(response);
}

/** Posts references in batches, so the host deserialises many short messages, not one long one. */
function batcher(id: number): { add(refs: FileRefs): void; flush(): void } {
  let batch: FileRefs[] = [];
  const flush = () => {
    if (batch.length > 0) post({ id, kind: 'refs', refs: batch });
    batch = [];
  };
  return {
    add(refs) {
      batch.push(refs);
      if (batch.length >= REFS_PER_MESSAGE) flush();
    },
    flush,
  };
}

async function handle(request: Exclude<CodeRequest, { kind: 'cancel' }>): Promise<void> {
  if (request.kind === 'list') {
    const listing = await listFolder(request.root, { sizes: false });
    post({ id: request.id, kind: 'listed', files: listing.files.map((f) => f.file) });
    return;
  }
  const p = await syntaxParser();
  switch (request.kind) {
    case 'syntax': {
      if (p) await p.prepare([request.file]);
      post({ id: request.id, kind: 'syntax', syntax: p?.syntaxOf(request.file, request.text) });
      return;
    }
    case 'analyze': {
      if (p) await p.prepare([request.file]);
      const syntax = p?.syntaxOf(request.file, request.text);
      const refs = scanCodeText(request.text, request.file, { whyTag: request.settings.whyTag, trackers: compileTrackers(request.settings.trackers), syntax: () => syntax });
      post({ id: request.id, kind: 'analyzed', syntax, refs });
      return;
    }
    case 'scanTexts': {
      const trackers = compileTrackers(request.settings.trackers);
      if (p) await p.prepare(request.items.map((i) => i.file));
      const out = batcher(request.id);
      for (const { file, text } of request.items) {
        out.add(scanCodeText(text, file, { whyTag: request.settings.whyTag, trackers, syntax: (f, t) => p?.syntaxOf(f, t) }));
      }
      out.flush();
      post({ id: request.id, kind: 'done' });
      return;
    }
    case 'scanPaths': {
      const out = batcher(request.id);
      await scanPaths(request.root, request.files, { ...scanOptions(request.settings, p), onRefs: (refs) => out.add(refs), includeEmpty: true });
      out.flush();
      post({ id: request.id, kind: 'done' });
      return;
    }
    case 'scanFolder': {
      const out = batcher(request.id);
      const controller = new AbortController();
      const timer = setInterval(() => cancelled.has(request.id) && controller.abort(), 50);
      try {
        const result = await scanFolder(request.root, {
          ...scanOptions(request.settings, p),
          onRefs: (refs) => out.add(refs),
          onProgress: (done, total) => post({ id: request.id, kind: 'progress', done, total }),
          signal: controller.signal,
        });
        out.flush();
        post({ id: request.id, kind: 'done', files: result.files.length, skipped: result.skipped.length });
      } finally {
        clearInterval(timer);
        cancelled.delete(request.id);
      }
    }
  }
}

function scanOptions(settings: ScanSettings, p: SyntaxParser | undefined) {
  return { whyTag: settings.whyTag, trackers: compileTrackers(settings.trackers), parser: p };
}

parentPort?.on('message', (request: CodeRequest) => {
  if (request.kind === 'cancel') {
    cancelled.add(request.id);
    return;
  }
  handle(request).catch((e: unknown) => post({ id: request.id, kind: 'error', error: String((e as Error)?.stack ?? e) }));
});
