// Runs in a worker thread: parses insights files off the extension host's thread, so a large file
// never freezes hovers or typing. Messages in: ParseRequest; out: ParseResponse parts.
//
// The model goes back in slices of problems: each message is deserialised by the extension host
// as one task, so a large file arrives as many short tasks instead of one long block.
import { parentPort } from 'node:worker_threads';
import { parseInsightsFile } from '../core/parse';
import type { ParseRequest, ParseResponse } from './parseClient';

export const PROBLEMS_PER_MESSAGE = 20;

parentPort?.on('message', (request: ParseRequest) => {
  const post = (response: ParseResponse) => parentPort!.postMessage(response);
  try {
    const file = parseInsightsFile(request.text, request.file, { maxBytes: request.maxBytes, byteSize: request.byteSize });
    const { problems } = file;
    post({ id: request.id, kind: 'head', file: { ...file, problems: [] } });
    for (let i = 0; i < problems.length; i += PROBLEMS_PER_MESSAGE) {
      post({ id: request.id, kind: 'problems', problems: problems.slice(i, i + PROBLEMS_PER_MESSAGE) });
    }
    post({ id: request.id, kind: 'done' });
  } catch (e) {
    post({ id: request.id, kind: 'error', error: String((e as Error)?.stack ?? e) });
  }
});
