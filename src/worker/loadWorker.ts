// Runs in a worker thread: parses insights files off the extension host's thread, so a large file
// never freezes hovers or typing. Messages in: ParseRequest; out: ParseResponse.
import { parentPort } from 'node:worker_threads';
import { parseInsightsFile } from '../core/parse';
import type { ParseRequest, ParseResponse } from './parseClient';

parentPort?.on('message', (request: ParseRequest) => {
  let response: ParseResponse;
  try {
    response = { id: request.id, file: parseInsightsFile(request.text, request.file, { maxBytes: request.maxBytes, byteSize: request.byteSize }) };
  } catch (e) {
    response = { id: request.id, error: String((e as Error)?.stack ?? e) };
  }
  parentPort!.postMessage(response);
});
