// Problems as first-class symbols, through VS Code's own navigation: Find All References (from a
// problem's `id:` in the insights file, a `@why` id or a ticket key in code), Go to Definition
// (from a `@why` id, a ticket key or a related id, to the problem), workspace symbols (`#P-12`,
// title words) and Rename (the id in the insights file, every `related:` and every tag, as one
// undoable workspace edit shown in the refactor preview).
import vscode = require('vscode');
import { ID_PATTERN } from '../../core/model';
import type { Problem, Span } from '../../core/model';
import { ProblemSearch } from '../../core/search';
import { fileUri, relativePath, toRange } from '../../adapter/convert';
import { ANY_DOCUMENT } from '../../constants';
import type { Services } from '../../services';
import type { FolderIndex } from '../../workspace/folderIndex';
import { problemCode } from '../../workspace/problemCode';

/** Workspace symbol answers are capped: the list is for picking, not for reading. */
const MAX_WORKSPACE_SYMBOLS = 200;

interface Target {
  folder: FolderIndex;
  problems: Problem[];
  /** The id or key under the cursor. */
  range: vscode.Range;
  /** A problem id (renamable) rather than a ticket key. */
  id?: string;
}

const contains = (span: Span, position: vscode.Position) => toRange(span).contains(position);

export function register(services: Services): vscode.Disposable {
  const { indexes, links } = services;

  /** The problem(s) named at a position: an id in the insights file, a tag id or ticket key in code. */
  const targetAt = async (document: vscode.TextDocument, position: vscode.Position): Promise<Target | undefined> => {
    const folder = indexes.forUri(document.uri);
    const index = folder?.index;
    if (!folder || !index) return undefined;
    if (folder.isInsightsFile(document.uri)) {
      const file = relativePath(folder.folder.uri, document.uri);
      for (const problem of index.problems) {
        if (problem.file !== file) continue;
        if (contains(problem.idSpan, position)) return { folder, problems: [problem], range: toRange(problem.idSpan), id: problem.id };
        const related = problem.related.find((r) => contains(r.span, position));
        const target = related && index.problem(related.value);
        if (target) return { folder, problems: [target], range: toRange(related.span), id: target.id };
      }
      return undefined;
    }
    const found = await links.linksFor(document);
    if (!found) return undefined;
    for (const ref of found.links.references()) {
      if (ref.line !== position.line || position.character < ref.col || position.character > ref.endCol) continue;
      const range = new vscode.Range(ref.line, ref.col, ref.line, ref.endCol);
      if (ref.kind === 'tag') {
        const problem = index.problem(ref.id);
        return problem ? { folder, problems: [problem], range, id: problem.id } : undefined;
      }
      const problems = index.problemsForTicket(ref.key);
      return problems.length > 0 ? { folder, problems, range } : undefined;
    }
    return undefined;
  };

  const definitionOf = (folder: FolderIndex, problem: Problem) => new vscode.Location(fileUri(folder.folder.uri, problem.file), toRange(problem.idSpan));

  const definitions: vscode.DefinitionProvider = {
    async provideDefinition(document, position) {
      const target = await targetAt(document, position);
      if (!target) return undefined;
      // On the definition itself there is nowhere else to go.
      return target.problems.map((p) => definitionOf(target.folder, p))
        .filter((l) => !(l.uri.toString() === document.uri.toString() && l.range.contains(position)));
    },
  };

  const references: vscode.ReferenceProvider = {
    async provideReferences(document, position, context) {
      const target = await targetAt(document, position);
      if (!target) return undefined;
      const out: vscode.Location[] = [];
      const index = target.folder.index!;
      for (const problem of target.problems) {
        if (context.includeDeclaration) out.push(definitionOf(target.folder, problem));
        // Other problems that name it as related.
        for (const other of index.problems) {
          for (const r of other.related) if (r.value === problem.id) out.push(new vscode.Location(fileUri(target.folder.folder.uri, other.file), toRange(r.span)));
        }
        const code = await problemCode(indexes, target.folder, problem);
        for (const link of code.links) {
          // A tag is referenced at its id, so the list shows the comment; a symbol at its name (one
          // readable line, not the whole body); other anchors at their region.
          if (link.kind === 'tag') continue;
          const name = link.kind === 'symbol' ? link.resolved?.name : undefined;
          out.push(new vscode.Location(link.uri, name ? new vscode.Range(name.line, name.col, name.line, name.col + name.length) : link.range));
        }
        for (const { file, ref } of indexes.codeOf(target.folder.folder)?.refs.tagsOf(problem.id) ?? []) {
          out.push(new vscode.Location(fileUri(target.folder.folder.uri, file), new vscode.Range(ref.line, ref.col, ref.line, ref.endCol)));
        }
      }
      return dedupe(out);
    },
  };

  const workspaceSymbols: vscode.WorkspaceSymbolProvider = {
    provideWorkspaceSymbols(query) {
      const wanted = query.trim().replace(/^#/, '');
      const out: vscode.SymbolInformation[] = [];
      for (const folder of indexes.all()) {
        const index = folder.index;
        if (!index) continue;
        const problems = wanted === ''
          ? index.problems
          : [...new Set([
            ...index.problems.filter((p) => p.id.toLowerCase().startsWith(wanted.toLowerCase())),
            ...new ProblemSearch(index).search(wanted, { limit: MAX_WORKSPACE_SYMBOLS }).map((h) => h.problem),
          ])];
        for (const p of problems.slice(0, MAX_WORKSPACE_SYMBOLS)) {
          out.push(new vscode.SymbolInformation(`#${p.id} ${p.title}`, vscode.SymbolKind.Key, `customer problem \u00b7 ${p.status} \u00b7 ${p.severity}`, definitionOf(folder, p)));
        }
      }
      return out.slice(0, MAX_WORKSPACE_SYMBOLS);
    },
  };

  const rename: vscode.RenameProvider = {
    async prepareRename(document, position) {
      const target = await targetAt(document, position);
      if (!target?.id) throw new Error('Only a customer problem id can be renamed here.');
      return { range: target.range, placeholder: target.id };
    },
    async provideRenameEdits(document, position, newName) {
      const target = await targetAt(document, position);
      const problem = target?.id ? target.folder.index?.problem(target.id) : undefined;
      if (!target || !problem) return undefined;
      const index = target.folder.index!;
      const next = newName.trim();
      if (!ID_PATTERN.test(next)) throw new Error(`"${next}" is not a problem id: start with a letter; use letters, digits, ".", "_" and "-".`);
      if (next !== problem.id && index.problem(next)) throw new Error(`${next} is already the id of another problem.`);
      const edit = new vscode.WorkspaceEdit();
      const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: `Rename ${problem.id} to ${next}` };
      const root = target.folder.folder.uri;
      edit.replace(fileUri(root, problem.file), toRange(problem.idSpan), next, { ...metadata, label: 'the problem in the insights file' });
      for (const other of index.problems) {
        for (const r of other.related) if (r.value === problem.id) edit.replace(fileUri(root, other.file), toRange(r.span), next, { ...metadata, label: `related problems of ${other.id}` });
      }
      // Tags, checked against the text as it is now (the index may trail an edit by a moment).
      for (const { file, ref } of indexes.codeOf(target.folder.folder)?.refs.tagsOf(problem.id) ?? []) {
        const uri = fileUri(root, file);
        const text = await lineText(uri, ref.line);
        if (text?.slice(ref.col, ref.endCol) !== problem.id) continue;
        edit.replace(uri, new vscode.Range(ref.line, ref.col, ref.line, ref.endCol), next, { ...metadata, label: '@why tags in the code' });
      }
      return edit;
    },
  };

  // Code in any language (tags and ticket keys), and the insights files.
  const selector = ANY_DOCUMENT;
  return vscode.Disposable.from(
    vscode.languages.registerDefinitionProvider(selector, definitions),
    vscode.languages.registerReferenceProvider(selector, references),
    vscode.languages.registerRenameProvider(selector, rename),
    vscode.languages.registerWorkspaceSymbolProvider(workspaceSymbols),
  );
}

async function lineText(uri: vscode.Uri, line: number): Promise<string | undefined> {
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    return line < document.lineCount ? document.lineAt(line).text : undefined;
  } catch {
    return undefined;
  }
}

function dedupe(locations: vscode.Location[]): vscode.Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.uri.toString()}#${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
