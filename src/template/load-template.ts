import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { TemplateError } from '../errors/index.js';
import { isTemplateDefinition } from './define-template.js';
import type { TemplateDefinition } from './types.js';

/** The repository root (this file is `src/template/load-template.ts`). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What templates import as `reelwright`. */
const PUBLIC_TEMPLATE_ENTRY = path.join(REPO_ROOT, 'src', 'public', 'template.ts');
/** Entry file names tried, in order, inside a template folder. */
export const TEMPLATE_ENTRY_NAMES = ['index.tsx', 'index.ts', 'index.jsx'] as const;

/** Asset imports (`import logo from './logo.png'`) give the same relative URL string as in the browser bundle. */
const ASSET_LOADERS: Readonly<Record<string, esbuild.Loader>> = Object.fromEntries(
  ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.svg', '.avif', '.mp4', '.webm', '.mov', '.woff2', '.woff', '.ttf', '.otf', '.wav', '.mp3', '.m4a', '.aac', '.ogg', '.opus', '.flac'].map(
    (ext) => [ext, 'file' as const],
  ),
);

/** Options for `loadTemplate`. */
export type LoadTemplateOptions = {
  /** The template's entry file (`templates/<id>/index.tsx`); see `resolveTemplateEntry`. */
  entry: string;
  /** Cache root; the compiled module goes to `<cacheDir>/node/<hash>.mjs`. */
  cacheDir: string;
};

/** A template loaded in Node. */
export type LoadTemplateResult = {
  /** The module's default export, checked with `isTemplateDefinition`. */
  definition: TemplateDefinition;
  /** Absolute path of the entry file. */
  entry: string;
  /**
   * SHA-256 (hex) over every source file compiled into the template (its own files and reelwright's template runtime,
   * by path relative to the repository and content; npm packages are not included). Same sources ⇒ same hash.
   */
  sourceHash: string;
};

/** Options for `resolveTemplateEntry`. */
export type ResolveTemplateEntryOptions = {
  /** Folder holding one folder per template (`templates/`). */
  templatesDir: string;
  /** A template id (`welcome`), a template folder, or a path to an entry file. */
  id: string;
};

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function formatBuildErrors(errors: readonly esbuild.Message[]): string {
  const lines = errors.slice(0, 5).map((message) => {
    const location = message.location;
    if (!location) return message.text;
    const where = `${displayPath(path.resolve(REPO_ROOT, location.file))}:${location.line}:${location.column + 1}`;
    const excerpt = location.lineText ? `\n    ${location.line} | ${location.lineText}\n    ${' '.repeat(String(location.line).length)} | ${' '.repeat(location.column)}^` : '';
    return `${where}: ${message.text}${excerpt}`;
  });
  if (errors.length > 5) lines.push(`… and ${errors.length - 5} more errors.`);
  return lines.join('\n');
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

/**
 * Keeps npm packages and Node built-ins out of the bundle, importing them by absolute `file:` URL so the compiled
 * module runs from any cache folder. `react`/`react-dom` always come from reelwright's own install (one React).
 */
const nodeExternalsPlugin: esbuild.Plugin = {
  name: 'reelwright-node-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'node-externals' || args.path === 'reelwright' || path.isAbsolute(args.path)) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const fromRepo = /^react(-dom)?(\/.*)?$/.test(args.path);
      const result = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: fromRepo ? REPO_ROOT : args.resolveDir,
        importer: args.importer,
        pluginData: 'node-externals',
      });
      if (result.errors.length > 0) return { errors: result.errors };
      if (result.external) return { path: result.path, external: true };
      return { path: pathToFileURL(result.path).href, external: true };
    });
  },
};

/** Writes `contents` to `file` through a temporary name, so no reader sees a partial module. */
async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, contents);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Compiles a template for Node (esbuild, ESM, automatic JSX, `reelwright` aliased to the public template entry,
 * npm packages external) into `<cacheDir>/node/<hash>.mjs` and imports it. The default export must come from
 * `defineTemplate`, else `TemplateError` `RW_TEMPLATE_INVALID`; compile errors are `RW_TEMPLATE_BUILD_FAILED` with
 * file:line:column.
 *
 * @example
 * const entry = await resolveTemplateEntry({ templatesDir: 'templates', id: 'welcome' });
 * const { definition, sourceHash } = await loadTemplate({ entry, cacheDir: '.reelwright/cache' });
 * @see resolveTemplateEntry
 */
export async function loadTemplate(options: LoadTemplateOptions): Promise<LoadTemplateResult> {
  const entry = path.resolve(options.entry);
  if (!(await isFile(entry))) {
    throw new TemplateError(`Template entry ${displayPath(entry)} does not exist.`, { code: 'RW_TEMPLATE_NOT_FOUND' });
  }
  const nodeDir = path.join(path.resolve(options.cacheDir), 'node');
  let built: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    built = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      write: false,
      metafile: true,
      outfile: path.join(nodeDir, 'template.mjs'),
      assetNames: 'assets/[name]-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      alias: { reelwright: PUBLIC_TEMPLATE_ENTRY },
      plugins: [nodeExternalsPlugin],
      loader: ASSET_LOADERS,
      // Without "module" in the conditions, packages resolve to the files Node itself would load.
      conditions: [],
      mainFields: ['main'],
      charset: 'utf8',
      logLevel: 'silent',
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    throw new TemplateError(`The template ${displayPath(entry)} does not compile:\n${formatBuildErrors(failure.errors)}`, {
      code: 'RW_TEMPLATE_BUILD_FAILED',
      cause: error,
    });
  }

  const sources = createHash('sha256');
  for (const input of Object.keys(built.metafile.inputs).sort()) {
    const bytes = await readFile(path.resolve(REPO_ROOT, input));
    sources.update(input).update('\0').update(String(bytes.byteLength)).update('\0').update(bytes);
  }
  const sourceHash = sources.digest('hex');

  const module = built.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (!module) throw new Error(`esbuild produced no module for ${entry}.`);
  const outputHash = createHash('sha256').update(module.contents).digest('hex');
  const file = path.join(nodeDir, `${outputHash}.mjs`);
  if (!(await isFile(file))) {
    await mkdir(nodeDir, { recursive: true });
    await writeAtomically(file, module.contents);
  }

  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    // The compiled module bundles its own copy of the error classes, so `instanceof` misses a TemplateError from
    // `defineTemplate`: keep its code and message.
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'TemplateError' && typeof code === 'string' && code.startsWith('RW_') && typeof message === 'string') {
      throw new TemplateError(`${displayPath(entry)}: ${message}`, { code: code as `RW_${string}`, cause: error });
    }
    throw new TemplateError(`The template ${displayPath(entry)} threw while loading: ${(error as Error).message ?? String(error)}`, {
      code: 'RW_TEMPLATE_LOAD_FAILED',
      cause: error,
    });
  }
  if (!isTemplateDefinition(loaded.default)) {
    const got = loaded.default === undefined ? 'no default export' : `a default export of type ${typeof loaded.default}`;
    throw new TemplateError(
      `${displayPath(entry)} must \`export default defineTemplate({...})\` (import defineTemplate from 'reelwright'); found ${got}.`,
      { code: 'RW_TEMPLATE_INVALID' },
    );
  }
  return { definition: loaded.default, entry, sourceHash };
}

/** Lists template ids under `templatesDir`: folders that hold an entry file. */
async function listTemplates(templatesDir: string): Promise<string[]> {
  const entries = await readdir(templatesDir, { withFileTypes: true }).catch(() => []);
  const ids: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    for (const name of TEMPLATE_ENTRY_NAMES) {
      if (await isFile(path.join(templatesDir, entry.name, name))) {
        ids.push(entry.name);
        break;
      }
    }
  }
  return ids.sort();
}

async function entryInFolder(dir: string): Promise<string | null> {
  for (const name of TEMPLATE_ENTRY_NAMES) {
    const candidate = path.join(dir, name);
    if (await isFile(candidate)) return candidate;
  }
  return null;
}

/**
 * Finds the entry file for `--template <id>`: `<templatesDir>/<id>/index.tsx` (or `.ts`, `.jsx`), or a folder or file
 * path given directly. An unknown id fails with `TemplateError` `RW_TEMPLATE_NOT_FOUND` listing the available ones.
 *
 * @example
 * await resolveTemplateEntry({ templatesDir: 'templates', id: 'welcome' }); // → /abs/templates/welcome/index.tsx
 */
export async function resolveTemplateEntry(options: ResolveTemplateEntryOptions): Promise<string> {
  const templatesDir = path.resolve(options.templatesDir);
  const id = options.id.trim();
  if (id === '') throw new TemplateError('The template id is empty. Pass --template <id>.', { code: 'RW_TEMPLATE_NOT_FOUND' });
  const looksLikePath = id.includes('/') || id.includes(path.sep) || /\.(tsx|ts|jsx|js|mjs)$/.test(id);
  if (looksLikePath) {
    const direct = path.resolve(id);
    const info = await stat(direct).catch(() => null);
    if (info?.isFile()) return direct;
    if (info?.isDirectory()) {
      const found = await entryInFolder(direct);
      if (found) return found;
      throw new TemplateError(`The folder ${displayPath(direct)} has no ${TEMPLATE_ENTRY_NAMES.join(', ')}.`, { code: 'RW_TEMPLATE_NOT_FOUND' });
    }
  } else if (/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(id)) {
    const dir = path.join(templatesDir, id);
    const found = await entryInFolder(dir);
    if (found) return found;
  }
  const available = await listTemplates(templatesDir);
  const list = available.length > 0 ? `Available templates: ${available.join(', ')}.` : `No templates were found in ${displayPath(templatesDir)}.`;
  throw new TemplateError(`Template "${id}" was not found in ${displayPath(templatesDir)}. ${list}`, { code: 'RW_TEMPLATE_NOT_FOUND' });
}

