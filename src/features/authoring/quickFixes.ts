// Quick fixes on the findings Customer Lens publishes: in the insights file, a misspelt key, enum
// value or id (the nearest valid ones), a persona or customer to create, a lost anchor to remove;
// in code, an `@why` id that names no problem. The moved-anchor fix is the diagnostics feature's own.
import vscode = require('vscode');
import { DIAGNOSTIC_SOURCE } from '../../constants';
import { toRange, toSpan } from '../../adapter/convert';
import { codeReferenceFixes, quickFixes } from '../../core/fixes';
import type { QuickFix } from '../../core/fixes';
import type { Services } from '../../services';
import { currentModel } from './current';

const RULES_WITH_FIXES = new Set(['unknown-key', 'schema', 'unknown-reference', 'anchor-lost']);

function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function quickFixProvider(services: Services): vscode.CodeActionProvider {
  const { indexes } = services;
  return {
    async provideCodeActions(document, _range, context, token) {
      if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) return undefined;
      const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && RULES_WITH_FIXES.has(ruleOf(d) ?? ''));
      if (ours.length === 0) return undefined;
      const folder = indexes.forUri(document.uri);
      if (!folder?.index) return undefined;
      const actions: vscode.CodeAction[] = [];
      if (!folder.isInsightsFile(document.uri)) {
        // Code: an `@why` id that names no problem.
        for (const d of ours) {
          if (ruleOf(d) !== 'unknown-reference' || !d.range.isSingleLine) continue;
          const id = document.getText(d.range);
          for (const fix of codeReferenceFixes(id, toSpan(d.range), folder.index)) actions.push(toAction(document, d, fix));
        }
        return actions;
      }
      const model = await currentModel(indexes, document, token);
      if (!model || token.isCancellationRequested) return undefined;
      for (const d of ours) {
        for (const fix of quickFixes(model, { rule: ruleOf(d)!, span: toSpan(d.range) })) actions.push(toAction(document, d, fix));
      }
      return actions;
    },
  };
}

function toAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, fix: QuickFix): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = fix.preferred;
  action.edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) action.edit.replace(document.uri, toRange(e.span), e.newText);
  return action;
}
