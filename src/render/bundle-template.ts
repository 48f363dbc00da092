import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { TemplateError } from '../errors/index.js';
import { pathExists, writeFolderAtomic } from '../fs/index.js';

/** The repository root (this file is `src/render/bundle-template.ts`). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What templates import as `reelwright`. */
const PUBLIC_TEMPLATE_ENTRY = path.join(REPO_ROOT, 'src', 'public', 'template.ts');
/** The in-page host that installs `window.__reelwright`. */
const PAGE_HOST_ENTRY = path.join(REPO_ROOT, 'src', 'render', 'page', 'page-host.tsx');

/** Browser engine the bundle targets (the headless shell is far newer; this keeps syntax lowering off). */
export const BUNDLE_TARGET = 'chrome120';

/** File extensions templates may import as assets (each import yields a URL relative to the page). */
const ASSET_LOADERS: Readonly<Record<string, esbuild.Loader>> = Object.fromEntries(
  ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.svg', '.avif', '.mp4', '.webm', '.mov', '.woff2', '.woff', '.ttf', '.otf', '.wav', '.mp3', '.m4a', '.aac', '.ogg', '.opus', '.flac'].map(
    (ext) => [ext, 'file' as const],
  ),
);

/**
 * Why the bundle is built.
 * - `render`: for frame capture; no source map.
 * - `studio`: for the authoring app; inline source maps so template errors point at the author's lines.
 */
export type BundleMode = 'render' | 'studio';

/** Options for `bundleTemplate`. */
export type BundleTemplateOptions = {
  /** The template's entry file (`templates/<id>/index.tsx`). */
  entry: string;
  /** Cache root; bundles go to `<cacheDir>/bundles/<hash>/`. */
  cacheDir: string;
  /** Defaults to `render`. */
  mode?: BundleMode;
};

/** A bundled template, ready to be served. */
export type BundleTemplateResult = {
  /** Folder holding `index.html`, `bundle.js` and assets: `<cacheDir>/bundles/<hash>/`. */
  dir: string;
  /** SHA-256 (hex) over every output file: the same sources give the same hash, a change gives a new folder. */
  hash: string;
  /** `<dir>/index.html`. */
  htmlFile: string;
  /** Absolute path of the template entry that was bundled. */
  entry: string;
  /** True when the folder already existed and nothing was written. */
  cached: boolean;
};

function htmlPage(hasCss: boolean): string {
  return [
    '<!doctype html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<title>reelwright</title>',
    '<style>html,body{margin:0;padding:0;overflow:hidden}</style>',
    ...(hasCss ? ['<link rel="stylesheet" href="bundle.css">'] : []),
    '</head>',
    '<body>',
    '<div id="root"></div>',
    '<script src="bundle.js"></script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Shows a path relative to the working directory when it is below it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** `file:line:column: message` lines with the offending source line, for up to five esbuild errors. */
function formatBuildErrors(errors: readonly esbuild.Message[], workingDir: string): string {
  const lines = errors.slice(0, 5).map((message) => {
    const location = message.location;
    if (!location) return message.text;
    const where = `${displayPath(path.resolve(workingDir, location.file))}:${location.line}:${location.column + 1}`;
    const excerpt = location.lineText ? `\n    ${location.line} | ${location.lineText}\n    ${' '.repeat(String(location.line).length)} | ${' '.repeat(location.column)}^` : '';
    return `${where}: ${message.text}${excerpt}`;
  });
  if (errors.length > 5) lines.push(`… and ${errors.length - 5} more errors.`);
  return lines.join('\n');
}

/**
 * Resolves `react` and `react-dom` from reelwright's own install, wherever the template lives, so the template and
 * the page host share one React (two copies break hooks).
 */
const oneReactPlugin: esbuild.Plugin = {
  name: 'reelwright-one-react',
  setup(build) {
    build.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'one-react') return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, resolveDir: REPO_ROOT, pluginData: 'one-react' });
      return result.errors.length > 0 ? { errors: result.errors } : { path: result.path, external: result.external, sideEffects: result.sideEffects };
    });
  },
};

/**
 * Bundles a template with the in-page host for the browser (esbuild, IIFE, `chrome120`, automatic JSX) and writes
 * `index.html` plus the bundle into `<cacheDir>/bundles/<hash>/`, where the hash covers every output byte.
 * An existing folder for that hash is reused as is; a new one is written to a temporary folder and renamed, so a
 * reader never sees half a bundle. Templates may import images, clips and fonts (they become files next to the bundle).
 * A compile error fails with `TemplateError` `RW_TEMPLATE_BUILD_FAILED` naming file:line:column.
 *
 * @example
 * const bundle = await bundleTemplate({ entry: 'templates/welcome/index.tsx', cacheDir: '.reelwright/cache' });
 * const base = server.mount(`bundles/${bundle.hash}`, bundle.dir);
 * @see renderVideo
 */
export async function bundleTemplate(options: BundleTemplateOptions): Promise<BundleTemplateResult> {
  const mode = options.mode ?? 'render';
  if (mode !== 'render' && mode !== 'studio') {
    throw new TemplateError(`options.mode must be "render" or "studio", got ${JSON.stringify(mode)}.`, { code: 'RW_INVALID_OPTION' });
  }
  const entry = path.resolve(options.entry);
  if (!(await pathExists(entry))) {
    throw new TemplateError(`Template entry ${displayPath(entry)} does not exist.`, { code: 'RW_TEMPLATE_NOT_FOUND' });
  }
  const bundlesDir = path.join(path.resolve(options.cacheDir), 'bundles');
  const entrySource = [
    `import template from ${JSON.stringify(entry)};`,
    `import { mountPageHost } from ${JSON.stringify(PAGE_HOST_ENTRY)};`,
    'mountPageHost(template);',
    '',
  ].join('\n');
  let built: esbuild.BuildResult<{ write: false }>;
  try {
    built = await esbuild.build({
      stdin: { contents: entrySource, resolveDir: REPO_ROOT, sourcefile: 'reelwright-page-entry.tsx', loader: 'tsx' },
      absWorkingDir: REPO_ROOT,
      bundle: true,
      write: false,
      // Only used to name outputs; nothing is written there.
      outdir: path.join(bundlesDir, 'out'),
      entryNames: 'bundle',
      assetNames: 'assets/[name]-[hash]',
      format: 'iife',
      platform: 'browser',
      target: BUNDLE_TARGET,
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      alias: { reelwright: PUBLIC_TEMPLATE_ENTRY },
      plugins: [oneReactPlugin],
      loader: ASSET_LOADERS,
      sourcemap: mode === 'studio' ? 'inline' : false,
      charset: 'utf8',
      logLevel: 'silent',
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    throw new TemplateError(`The template ${displayPath(entry)} does not compile:\n${formatBuildErrors(failure.errors, REPO_ROOT)}`, {
      code: 'RW_TEMPLATE_BUILD_FAILED',
      cause: error,
    });
  }

  const outRoot = path.join(bundlesDir, 'out');
  const files = built.outputFiles
    .map((file) => ({ name: path.relative(outRoot, file.path).split(path.sep).join('/'), contents: file.contents }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  files.push({ name: 'index.html', contents: Buffer.from(htmlPage(files.some((file) => file.name === 'bundle.css')), 'utf8') });
  const digest = createHash('sha256');
  for (const file of files) {
    digest.update(file.name).update('\0').update(String(file.contents.byteLength)).update('\0').update(file.contents);
  }
  const hash = digest.digest('hex');
  const dir = path.join(bundlesDir, hash);
  const result = { dir, hash, htmlFile: path.join(dir, 'index.html'), entry };
  const { written } = await writeFolderAtomic({ dir, files });
  return { ...result, cached: !written };
}
