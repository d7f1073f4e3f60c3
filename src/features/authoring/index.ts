// Help for the people who write customer-insights.yaml by hand: quick fixes on the checker's
// findings, completions (keys, values, ids, paths, symbols, and problem ids after `@why` in code),
// Go to Definition and references of persona and customer ids, document links on anchor paths and
// ticket keys, and an outline for the Outline view and breadcrumbs.
import vscode = require('vscode');
import { ANY_DOCUMENT, INSIGHTS_DOCUMENTS, YAML_DOCUMENTS } from '../../constants';
import type { Services } from '../../services';
import { quickFixProvider } from './quickFixes';
import { completionProvider, TRIGGER_CHARACTERS } from './completion';
import { definitionProvider, linkProvider, referenceProvider, symbolProvider } from './navigation';

/** Insights files by their default names, and any YAML file (a custom glob): providers check the glob. */
const INSIGHTS = [INSIGHTS_DOCUMENTS, YAML_DOCUMENTS];

export function register(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    // Code files too: an `@why` id that names no problem, and ids after the tag.
    vscode.languages.registerCodeActionsProvider(ANY_DOCUMENT, quickFixProvider(services), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerCompletionItemProvider(ANY_DOCUMENT, completionProvider(services), ...TRIGGER_CHARACTERS),
    vscode.languages.registerDefinitionProvider(INSIGHTS, definitionProvider(services)),
    vscode.languages.registerReferenceProvider(INSIGHTS, referenceProvider(services)),
    vscode.languages.registerDocumentLinkProvider(INSIGHTS, linkProvider(services)),
    vscode.languages.registerDocumentSymbolProvider(INSIGHTS, symbolProvider(services), { label: 'Customer Lens' }),
  );
}
