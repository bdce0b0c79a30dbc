/**
 * Module hooks (`module.register`) that compile the project's TypeScript on import, file by file,
 * as the test runner does: `isolatedModules` holds for the whole project, so no file needs another
 * to be compiled. Type errors are the type checker's business (`npm run typecheck`), not this one's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = new URL('../', import.meta.url);
const LIBRARY_ALIAS = '@app/sms';
const LIBRARY_ROOT = new URL('libs/sms/src/', root);

const compilerOptions = readCompilerOptions();

/** `@app/sms` and `@app/sms/*` as `tsconfig.json` maps them; `./x.js` to `./x.ts` when that is the source. */
export async function resolve(specifier, context, nextResolve) {
  const aliased = resolveAlias(specifier);
  if (aliased)
    return { url: aliased.href, format: 'module', shortCircuit: true };
  if (isTypeScript(context.parentURL) && /^(\.{1,2}\/|file:)/.test(specifier)) {
    const source = typeScriptSource(new URL(specifier, context.parentURL));
    if (source)
      return { url: source.href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

/** Compiles a `.ts` module to JavaScript, with an inline source map for stack traces and profiles. */
export async function load(url, context, nextLoad) {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions,
    fileName,
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}

function resolveAlias(specifier) {
  if (specifier === LIBRARY_ALIAS) return new URL('index.ts', LIBRARY_ROOT);
  if (!specifier.startsWith(`${LIBRARY_ALIAS}/`)) return undefined;
  const target = new URL(
    specifier.slice(LIBRARY_ALIAS.length + 1),
    LIBRARY_ROOT,
  );
  return typeScriptSource(target) ?? target;
}

/** The `.ts` file behind a `.js` (or extension-less) specifier, when it exists. */
function typeScriptSource(url) {
  if (url.protocol !== 'file:') return undefined;
  if (isTypeScript(url.href) && existsSync(url)) return url;
  const candidate = new URL(url.href.replace(/\.js$/, '') + '.ts');
  return existsSync(candidate) ? candidate : undefined;
}

function isTypeScript(url) {
  return (
    typeof url === 'string' && url.startsWith('file:') && url.endsWith('.ts')
  );
}

function readCompilerOptions() {
  const file = fileURLToPath(new URL('tsconfig.json', root));
  const { config, error } = ts.readConfigFile(file, (path) =>
    readFileSync(path, 'utf8'),
  );
  if (error)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(
    config,
    ts.sys,
    fileURLToPath(root),
  );
  return {
    ...options,
    // One file at a time, to ES module syntax as written: the package is `"type": "module"`.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
    declaration: false,
    incremental: false,
    noEmit: false,
  };
}
