// Navigation inside an insights file: Go to Definition and Find All References from a persona or
// customer id, document links on anchor paths (to the anchored line) and on ticket keys (to the
// tracker), and the outline (product, trackers, personas, customers, problems with their evidence
// and code) that the Outline view and breadcrumbs show. Related problem ids are the references
// feature's.
import vscode = require('vscode');
import { fileUri, toRange } from '../../adapter/convert';
import { idReferenceAt, outline } from '../../core/outline';
import type { OutlineKind, OutlineNode } from '../../core/outline';
import type { InsightsIndex } from '../../core/workspaceIndex';
import type { Located, Span } from '../../core/model';
import { isTicketUrl } from '../../core/trackers';
import type { Services } from '../../services';
import { resolveAnchors } from '../../workspace/anchorResolver';
import type { FolderIndex } from '../../workspace/folderIndex';
import { currentModel } from './current';

const SYMBOL_KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  product: vscode.SymbolKind.Package,
  tracker: vscode.SymbolKind.Interface,
  persona: vscode.SymbolKind.Object,
  customer: vscode.SymbolKind.Struct,
  problem: vscode.SymbolKind.Key,
  list: vscode.SymbolKind.Array,
  evidence: vscode.SymbolKind.Event,
  anchor: vscode.SymbolKind.File,
};

const contains = (span: Span, position: vscode.Position) => toRange(span).contains(position);

export function definitionProvider(services: Services): vscode.DefinitionProvider {
  return {
    async provideDefinition(document, position, token) {
      const model = await currentModel(services.indexes, document, token);
      const ref = model && idReferenceAt(model.file, position.line, position.character);
      if (!model || !ref) return undefined;
      const item = ref.kind === 'persona' ? model.index.persona(ref.id) : model.index.customer(ref.id);
      if (!item) return undefined;
      return [{
        originSelectionRange: toRange(ref.span),
        targetUri: fileUri(model.folder.folder.uri, item.file),
        targetRange: toRange(item.span),
        targetSelectionRange: toRange(item.idSpan),
      } satisfies vscode.LocationLink];
    },
  };
}

export function referenceProvider(services: Services): vscode.ReferenceProvider {
  return {
    async provideReferences(document, position, context, token) {
      const model = await currentModel(services.indexes, document, token);
      if (!model) return undefined;
      const { index, file, folder } = model;
      // On a reference, or on the definition's id.
      let target = idReferenceAt(file, position.line, position.character);
      if (!target) {
        const persona = file.personas.find((p) => contains(p.idSpan, position));
        const customer = file.customers.find((c) => contains(c.idSpan, position));
        if (persona) target = { kind: 'persona', id: persona.id, span: persona.idSpan };
        else if (customer) target = { kind: 'customer', id: customer.id, span: customer.idSpan };
      }
      if (!target) return undefined;
      const defined = target.kind === 'persona' ? index.persona(target.id) : index.customer(target.id);
      if (!defined) return undefined;
      return referencesOf(index, folder, target.kind, target.id, context.includeDeclaration ? defined : undefined);
    },
  };
}

function referencesOf(index: InsightsIndex, folder: FolderIndex, kind: 'persona' | 'customer', id: string,
  definition?: { file: string; idSpan: Span }): vscode.Location[] {
  const out: vscode.Location[] = [];
  const at = (file: string, span: Span) => out.push(new vscode.Location(fileUri(folder.folder.uri, file), toRange(span)));
  if (definition) at(definition.file, definition.idSpan);
  for (const f of index.files) {
    for (const p of f.problems) {
      const refs: (Located | undefined)[] = kind === 'persona'
        ? [...p.personas, ...p.evidence.map((e) => e.persona)]
        : [...p.customers, ...p.evidence.map((e) => e.customer)];
      for (const r of refs) if (r && r.value === id) at(f.file, r.span);
    }
  }
  return out;
}

export function linkProvider(services: Services): vscode.DocumentLinkProvider {
  const { indexes } = services;
  return {
    async provideDocumentLinks(document, token) {
      const model = await currentModel(indexes, document, token);
      if (!model) return undefined;
      const { folder, file, index } = model;
      const root = folder.folder.uri;
      const links: vscode.DocumentLink[] = [];
      for (const p of file.problems) {
        for (const t of p.tickets) {
          // URLs are linked by the editor itself; keys go to their tracker, over http(s) only.
          if (isTicketUrl(t.value)) continue;
          const target = webUri(index.ticketLink(t.value));
          if (!target) continue;
          const link = new vscode.DocumentLink(toRange(t.span), target);
          link.tooltip = `Open ${t.value} in the tracker`;
          links.push(link);
        }
      }
      const anchors = file.problems.flatMap((p) => p.code).filter((a) => a.path !== undefined && !a.glob);
      if (anchors.length === 0) return links;
      const [resolved, listing] = await Promise.all([
        resolveAnchors(indexes, folder, anchors),
        indexes.filesOf(folder.folder)?.files() ?? Promise.resolve([] as string[]),
      ]);
      if (token.isCancellationRequested) return undefined;
      const files = new Set(listing);
      for (const r of resolved) {
        const a = r.anchor;
        // A file that exists: directories and missing files get no link.
        if (!files.has(a.path!) && !(r.status !== 'lost' && r.files.length === 1 && r.files[0] === a.path)) continue;
        let target = fileUri(root, a.path!);
        let tooltip = `Open ${a.path}`;
        if (r.status !== 'lost' && r.region && a.kind !== 'path') {
          const line = r.region.startLine + 1;
          target = target.with({ fragment: `L${line}` });
          tooltip = a.kind === 'symbol' ? `Open ${a.path} at ${a.symbol} (line ${line})` : `Open ${a.path} at line ${line}`;
        }
        const link = new vscode.DocumentLink(toRange(a.pathSpan), target);
        link.tooltip = tooltip;
        links.push(link);
      }
      return links;
    },
  };
}

/** An http(s) URL as a URI; undefined for anything else (the URL comes from the insights file). */
function webUri(url: string | undefined): vscode.Uri | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return vscode.Uri.parse(url, true);
  } catch {
    return undefined;
  }
}

export function symbolProvider(services: Services): vscode.DocumentSymbolProvider {
  return {
    async provideDocumentSymbols(document, token) {
      const model = await currentModel(services.indexes, document, token);
      if (!model || !model.file.parsed) return undefined;
      return outline(model.text, model.file).map(toSymbol);
    },
  };
}

function toSymbol(node: OutlineNode): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(node.name || '(unnamed)', node.detail ?? '', SYMBOL_KINDS[node.kind], toRange(node.range), toRange(node.selection));
  symbol.children = node.children.map(toSymbol);
  return symbol;
}
