import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeFolderAtomic } from '../fs/index.js';
import { BUNDLE_TARGET } from '../render/index.js';
import { StudioError } from './studio-error.js';

/** The studio web app's entry (a React app). */
const APP_ENTRY = fileURLToPath(new URL('./app/main.tsx', import.meta.url));
/** The repository root, so `react` resolves from reelwright's own install. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Options of `bundleStudioApp`. */
export type BundleStudioAppOptions = {
  /** Cache root; the app goes to `<cacheDir>/studio-app/<hash>/`. */
  cacheDir: string;
};

/** The bundled app. */
export type BundleStudioAppResult = {
  /** Folder holding `app.js` and `app.css`. */
  dir: string;
  /** SHA-256 over the output files: part of the asset URLs, so browsers can cache them forever. */
  hash: string;
  /** True when the folder already existed. */
  cached: boolean;
};

/**
 * Bundles the studio web app (`src/studio/app/main.tsx`, React, CSS) with esbuild into
 * `<cacheDir>/studio-app/<hash>/`, where the hash covers every output byte: an unchanged app reuses its folder.
 * The folder is written under a temporary name and renamed, so a reader never sees half an app.
 *
 * @example
 * const app = await bundleStudioApp({ cacheDir: '.reelwright/cache' });
 * // serve `${app.dir}/app.js` as /app/<hash>/app.js
 */
export async function bundleStudioApp(options: BundleStudioAppOptions): Promise<BundleStudioAppResult> {
  const root = path.join(path.resolve(options.cacheDir), 'studio-app');
  let built: esbuild.BuildResult<{ write: false }>;
  try {
    built = await esbuild.build({
      entryPoints: [APP_ENTRY],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      write: false,
      outdir: path.join(root, 'out'),
      entryNames: 'app',
      format: 'iife',
      platform: 'browser',
      target: BUNDLE_TARGET,
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: true,
      charset: 'utf8',
      logLevel: 'silent',
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const first = Array.isArray(failure.errors) ? failure.errors[0] : undefined;
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new StudioError(`The studio app does not build: ${where}${first?.text ?? String(error)}`, { code: 'RW_STUDIO_APP_BUILD_FAILED', status: 500, cause: error });
  }
  const outRoot = path.join(root, 'out');
  const files = built.outputFiles
    .map((file) => ({ name: path.relative(outRoot, file.path).split(path.sep).join('/'), contents: file.contents }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const digest = createHash('sha256');
  for (const file of files) digest.update(file.name).update('\0').update(file.contents);
  const hash = digest.digest('hex').slice(0, 32);
  const dir = path.join(root, hash);
  const { written } = await writeFolderAtomic({ dir, files });
  return { dir, hash, cached: !written };
}
