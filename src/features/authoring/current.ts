// The model of an insights file parsed from exactly the text an editor holds now. Providers that
// map positions to model items (quick fixes, outline, links, definitions) must not use a parse of an
// older text: right after a keystroke they wait for the parse worker (briefly) instead.
import vscode = require('vscode');
import type { InsightsFile } from '../../core/model';
import type { InsightsIndex } from '../../core/workspaceIndex';
import type { Indexes } from '../../workspace/indexes';
import type { FolderIndex } from '../../workspace/folderIndex';

export interface CurrentModel {
  folder: FolderIndex;
  index: InsightsIndex;
  /** The parse of `text`. */
  file: InsightsFile;
  text: string;
}

/** How long a provider waits for the parse of an edit it was asked about. */
const WAIT_MS = 2000;

/** The model of an insights document as it is now; undefined for other documents or when the parse does not come. */
export async function currentModel(indexes: Indexes, document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<CurrentModel | undefined> {
  const folder = indexes.forUri(document.uri);
  if (!folder || !folder.isInsightsFile(document.uri)) return undefined;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const text = document.getText();
    const file = folder.parsedFrom(document.uri, text);
    if (file && folder.index) return { folder, index: folder.index, file, text };
    const left = deadline - Date.now();
    if (left <= 0 || token?.isCancellationRequested) return undefined;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        changed.dispose();
        cancelled?.dispose();
        resolve();
      };
      const timer = setTimeout(done, left);
      const changed = folder.onDidChange(done);
      const cancelled = token?.onCancellationRequested(done);
    });
  }
}
