import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";
import { repositorySources, sourceImports } from "./source-imports";

// Measures the shape of the repository's source (not its tests): file and function sizes, run-time import cycles and
// how deep core's imports go. The guard test (code-shape.test.ts) holds the limits; scripts/code-shape.ts prints the
// figures for a change's description.

/** A function-like body (declaration, method, constructor, accessor, arrow or function expression) and its extent. */
export interface FunctionExtent {
  readonly file: string;
  readonly name: string;
  /** 1-based line where it starts. */
  readonly line: number;
  /** Lines from its first to its last, nested functions included. */
  readonly lines: number;
}

/** Source files of the product: TypeScript outside __tests__/, generated trees and declaration files. */
export function productSources(root: string): string[] {
  return repositorySources(root).filter((f) => /\.(ts|mts|cts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.startsWith("__tests__/"));
}

/** Line count as `wc -l` gives it. */
export function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  const className = (n: ts.Node): string => {
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p.name ? `${p.name.text}.` : "";
    return "";
  };
  if (ts.isConstructorDeclaration(node)) return `${className(node)}constructor`;
  if (named.name && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name) || ts.isPrivateIdentifier(named.name)))
    return `${ts.isMethodDeclaration(node) || ts.isAccessor(node) ? className(node) : ""}${named.name.text}`;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
  if (p && ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return `${className(p)}${p.name.text}`;
  return `<anonymous at line ${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}>`;
}

/** Every function-like body of a file with its extent in lines. */
export function functionsOf(file: string, text: string): FunctionExtent[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: FunctionExtent[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: nameOf(node, sf), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Where a relative specifier of `from` lands among `files` (`x` -> `x.ts` or `x/index.ts`); undefined otherwise. */
export function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = normalize(join(dirname(from), specifier)).split("\\").join("/");
  return [base, `${base}.ts`, `${base}/index.ts`].find((f) => files.has(f));
}

/** file -> the repository files it imports at run time (type-only imports are erased and do not count). */
export function runtimeImportGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets = sourceImports(f, readFileSync(join(root, f), "utf8"))
      .filter((i) => !i.typeOnly)
      .flatMap((i) => resolveRelative(f, i.specifier, known) ?? []);
    graph.set(f, [...new Set(targets)]);
  }
  return graph;
}

/** Every import of a file (type-only included), resolved among `files`: what the dependency direction is about. */
export function allImportGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(files.map((f) => [f, [...new Set(sourceImports(f, readFileSync(join(root, f), "utf8")).flatMap((i) => resolveRelative(f, i.specifier, known) ?? []))]]));
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const start of graph.keys()) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    indexOf.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const edges = graph.get(top.node) ?? [];
      if (top.next < edges.length) {
        const to = edges[top.next++];
        if (!indexOf.has(to)) {
          indexOf.set(to, index);
          low.set(to, index++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, indexOf.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) === indexOf.get(top.node)) {
        const component: string[] = [];
        for (;;) {
          const n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
          if (n === top.node) break;
        }
        if (component.length > 1 || edges.includes(top.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** The longest import chain (in files) within `graph`, which must be acyclic; index files count as a step. */
export function longestChain(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const memo = new Map<string, string[]>();
  const chainFrom = (f: string): string[] => {
    const known = memo.get(f);
    if (known) return known;
    memo.set(f, [f]); // a cycle (reported elsewhere) ends the chain rather than recursing forever
    let best: string[] = [];
    for (const to of graph.get(f) ?? []) {
      const c = chainFrom(to);
      if (c.length > best.length) best = c;
    }
    const chain = [f, ...best];
    memo.set(f, chain);
    return chain;
  };
  let longest: string[] = [];
  for (const f of graph.keys()) {
    const c = chainFrom(f);
    if (c.length > longest.length) longest = c;
  }
  return longest;
}

/** The core wing a file belongs to (`core/iam/x.ts` -> `iam`), undefined outside core/ or for a file at its root. */
export function wingOf(file: string): string | undefined {
  return /^core\/([^/]+)\//.exec(file)?.[1];
}

/** Imports between core's wings that do not go strictly downward in `ranks` (and files outside any wing or rank). */
export function wingViolations(graph: ReadonlyMap<string, readonly string[]>, ranks: Readonly<Record<string, number>>): string[] {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    const a = wingOf(from);
    if (a === undefined) {
      wrong.push(`${from}: a file of core/ belongs in a wing`);
      continue;
    }
    if (!(a in ranks)) wrong.push(`${from}: wing ${a} has no rank`);
    for (const to of targets) {
      const b = wingOf(to);
      if (b && b !== a && !(ranks[b] < ranks[a])) wrong.push(`${from} imports ${to}: ${a} (rank ${ranks[a]}) may import only wings below it, not ${b} (rank ${ranks[b]})`);
    }
  }
  return wrong;
}

/** The wings' own import graph (wing -> wings it imports), from a file graph of core. */
export function wingGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const wings = new Map<string, Set<string>>();
  for (const [from, targets] of graph) {
    const a = wingOf(from);
    if (!a) continue;
    const set = wings.get(a) ?? new Set<string>();
    for (const to of targets) {
      const b = wingOf(to);
      if (b && b !== a) set.add(b);
    }
    wings.set(a, set);
  }
  return new Map([...wings].map(([w, s]) => [w, [...s]]));
}
