// Runs inside a real VS Code extension host (the extensionTestsPath of bench/vscode.mjs) on a
// workspace holding one generated insights file: how long activate() held the host, and the
// longest the host's thread was blocked while the insights were reloaded (as after a `git pull`)
// and re-read after an unsaved edit (as while a product manager types). Writes JSON to
// CUSTOMER_LENS_BENCH_RESULT.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../src/api';
import { maxStall } from './timing';


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function run(): Promise<void> {
  const out = process.env.CUSTOMER_LENS_BENCH_RESULT;
  const result: Record<string, unknown> = {};
  try {
    const ext = vscode.extensions.getExtension<CustomerLensApi>('customer-lens.customer-lens');
    if (!ext) throw new Error('Customer Lens is not loaded');
    const api = ext.isActive ? ext.exports : await ext.activate();
    const t0 = performance.now();
    await api.whenIdle();
    result.activationMs = api.activationMs;
    result.firstLoadMs = performance.now() - t0;
    const folder = vscode.workspace.workspaceFolders![0];
    result.problems = api.snapshot(folder.uri)?.problems.length ?? 0;
    await new Promise((r) => setTimeout(r, 1500)); // let start-up work (diagnostics, git) settle

    const reload: number[] = [];
    for (let i = 0; i < 5; i++) {
      reload.push(await maxStall(async () => {
        await vscode.commands.executeCommand('customerLens.refresh');
        await api.whenIdle();
      }));
    }
    result.reloadStallMs = median(reload);

    const uri = vscode.Uri.joinPath(folder.uri, 'customer-insights.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const edits: number[] = [];
    for (let i = 0; i < 5; i++) {
      edits.push(await maxStall(async () => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, new vscode.Position(0, 0), `# edit ${i}\n`);
        await vscode.workspace.applyEdit(edit);
        await new Promise((r) => setTimeout(r, 150)); // the debounce
        await api.whenIdle();
      }));
    }
    result.editStallMs = median(edits);
    // Put the buffer back as it was (never saved: auto-save is off in the bench profile).
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(0, 0, 5, 0));
    await vscode.workspace.applyEdit(undo);
    result.clean = document.getText().startsWith('# edit') === false;
  } catch (e) {
    result.error = String((e as Error).stack ?? e);
  }
  if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}
