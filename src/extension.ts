// Entry point: creates the services and wires the features. Nothing is parsed here; loading starts
// in the background (off this thread) once every feature is registered.
import type * as vscode from 'vscode';
import type { CustomerLensApi } from './api';
import { createServices } from './services';
import * as diagnostics from './features/diagnostics';
import * as navigation from './features/navigation';
import * as hover from './features/hover';
import * as codelens from './features/codelens';
import * as decorations from './features/decorations';
import * as statusbar from './features/statusbar';
import * as tree from './features/tree';
import * as search from './features/search';
import * as linking from './features/linking';
import * as references from './features/references';
import * as authoring from './features/authoring';
import * as impact from './features/impact';

const FEATURES = [diagnostics, navigation, references, hover, codelens, decorations, statusbar, tree, search, linking, authoring, impact];

export function activate(context: vscode.ExtensionContext): CustomerLensApi {
  const started = performance.now();
  const services = createServices(context);
  for (const feature of FEATURES) context.subscriptions.push(feature.register(services));
  services.indexes.start();
  const activationMs = performance.now() - started;
  services.log.info(`Activated in ${activationMs.toFixed(1)} ms; loading insights in the background.`);
  return {
    activationMs,
    whenIdle: () => services.indexes.whenIdle(),
    snapshot: (folder) => {
      const entry = services.indexes.all().find((f) => f.folder.uri.toString() === folder.toString());
      const index = entry?.index;
      if (!entry || !index) return undefined;
      return {
        folder: entry.folder.uri.toString(),
        files: index.files.map((f) => f.file),
        problems: index.problems.map((p) => ({ id: p.id, title: p.title, status: p.status, severity: p.severity })),
        diagnostics: index.diagnostics.length,
        generation: entry.generation,
      };
    },
    testHooks: services.probes,
  };
}

export function deactivate(): void {
  // Every disposable is owned by context.subscriptions.
}
