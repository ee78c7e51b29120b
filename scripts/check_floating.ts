// deno-lint-ignore-file no-console
/**
 * Fails on a promise nobody awaits: an expression statement whose value is a Promise (a call to an
 * async function whose result is dropped). A forgotten `await` is not a type error, and since every
 * store call is asynchronous it would let a write run outside its transaction or an error vanish.
 * A deliberate fire-and-forget is written `void p`. Usage: deno task check:floating
 */
import ts from "typescript";

const roots = ["main.ts", ...walk("src"), ...walk("scripts"), ...walk("tests")];
const program = ts.createProgram(roots, {
  allowImportingTsExtensions: true,
  noEmit: true,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ESNext,
  strict: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
  jsxImportSource: "preact",
  lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
  types: [],
});
const checker = program.getTypeChecker();
const found: string[] = [];

for (const sf of program.getSourceFiles()) {
  if (!roots.some((r) => sf.fileName.endsWith(r))) continue;
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) && isPromise(node.expression)) {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
      found.push(
        `${sf.fileName.replace(`${Deno.cwd()}/`, "")}:${line + 1}: ${node.getText().split("\n")[0]}`,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function isPromise(e: ts.Expression): boolean {
  if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) return false;
  if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return false;
  const t = checker.getTypeAtLocation(e);
  const name = (t.getSymbol() ?? t.aliasSymbol)?.getName();
  return name === "Promise";
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory && !["artifacts", "golden", "fixtures"].includes(e.name)) out.push(...walk(p));
    else if (e.isFile && /\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

if (found.length) {
  console.error(`${found.length} promise(s) nobody awaits (await them, or write \`void p\` on purpose):`);
  for (const f of found) console.error(`  ${f}`);
  Deno.exit(1);
}
console.error(`check:floating: no unawaited promises in ${roots.length} files`);
