/**
 * Prints the shape figures of the product's source: files over 300 and 400 lines, functions over 60 and 80 lines, the
 * run-time import cycles, and the longest import chain inside core/ (files, and wings). The limits themselves are
 * enforced by __tests__/guards/code-shape.test.ts; this is what a change description quotes.
 *
 *   npx ts-node --transpile-only scripts/code-shape.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { functionsOf, importCycles, lineCount, longestChain, productSources, runtimeImportGraph, wingGraph } from "../__tests__/guards/code-shape";

const root = join(__dirname, "..");
const files = productSources(root);
const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), "utf8")]));
const sizes = files.map((f) => ({ f, n: lineCount(texts.get(f)!) })).sort((a, b) => b.n - a.n);
const functions = files.flatMap((f) => functionsOf(f, texts.get(f)!)).sort((a, b) => b.lines - a.lines);
const graph = runtimeImportGraph(root, files);
const core = new Map([...graph].filter(([f]) => f.startsWith("core/")).map(([f, to]) => [f, to.filter((t) => t.startsWith("core/"))]));
const chain = longestChain(core);
// Without the index files' re-export hops: how many modules deep an import really goes.
const modulesOnly = new Map([...core].filter(([f]) => !f.endsWith("/index.ts")).map(([f, to]) => [f, to.flatMap((t) => (t.endsWith("/index.ts") ? (core.get(t) ?? []) : [t])).filter((t) => !t.endsWith("/index.ts"))]));
const moduleChain = longestChain(modulesOnly);
const wingChain = longestChain(wingGraph(core));

const over = (n: number) => sizes.filter((s) => s.n > n);
console.log(`source files: ${files.length}, ${sizes.reduce((a, s) => a + s.n, 0)} lines`);
console.log(`files over 300 lines: ${over(300).length}; over 400: ${over(400).length}`);
for (const s of over(300)) console.log(`  ${s.n} ${s.f}`);
const longFns = (n: number) => functions.filter((fn) => fn.lines > n);
console.log(`functions over 60 lines: ${longFns(60).length}; over 80: ${longFns(80).length}; over 100: ${longFns(100).length}`);
for (const fn of longFns(60)) console.log(`  ${fn.lines} ${fn.file}:${fn.line} ${fn.name}`);
const cycles = importCycles(graph);
console.log(`run-time import cycles: ${cycles.length}`);
for (const c of cycles) console.log(`  ${c.join(" <-> ")}`);
console.log(`longest import chain in core: ${chain.length} files with index hops, ${moduleChain.length} modules without them; ${wingChain.length} wings deep (${wingChain.join(" -> ")})`);
console.log(`  ${moduleChain.join(" -> ")}`);
