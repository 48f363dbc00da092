import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { DEFAULT_FFMPEG, DEFAULT_FFPROBE } from '../media/index.js';

/** One line of `reelwright doctor`. */
export type EnvironmentCheck = {
  name: string;
  ok: boolean;
  /** Version or path when found. */
  detail: string;
  /** What to do when not ok. */
  fix: string | null;
  /** A missing optional part (e.g. an API key) does not fail `doctor`. */
  optional: boolean;
};

/** Chromium used for rendering: `REELWRIGHT_CHROMIUM` or Debian's headless shell. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium-headless-shell';

/**
 * One font file per Debian package that templates rely on. DejaVu Sans is what templates are designed with; the
 * others are Chromium's per-glyph fallback for names in other scripts (optional: without them those names show
 * as boxes, everything else renders).
 */
const FONT_CHECKS: readonly { name: string; file: string; package: string; optional: boolean; missing: string | null }[] = [
  { name: 'Fonts (DejaVu Sans)', file: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', package: 'fonts-dejavu-core', optional: false, missing: null },
  {
    name: 'Fonts for Chinese, Japanese and Korean names (WenQuanYi Micro Hei)',
    file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    package: 'fonts-wqy-microhei',
    optional: true,
    missing: 'Han, kana and Hangul letters render as boxes',
  },
  {
    name: 'Fonts for Indic and Southeast Asian names (Noto Sans UI)',
    file: '/usr/share/fonts/truetype/noto/NotoSansDevanagariUI-Regular.ttf',
    package: 'fonts-noto-ui-core',
    optional: true,
    missing: 'Devanagari, Bengali, Tamil, Thai and similar letters render as boxes',
  },
];

function versionOf(binary: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 15_000 }, (error, stdout) => {
      if (error) resolve(null);
      else resolve(stdout.split('\n')[0]?.trim() ?? '');
    });
  });
}

/** Checks Node, Chromium, ffmpeg, ffprobe, fonts and provider keys; never prints a key. */
export async function checkEnvironment(): Promise<EnvironmentCheck[]> {
  const checks: EnvironmentCheck[] = [];
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  checks.push({
    name: 'Node.js',
    ok: nodeMajor >= 20,
    detail: `${process.version} (${process.execPath})`,
    fix: nodeMajor >= 20 ? null : 'Install Node.js 20 or newer.',
    optional: false,
  });
  const chromium = process.env['REELWRIGHT_CHROMIUM'] ?? DEFAULT_CHROMIUM;
  const chromiumVersion = await versionOf(chromium, ['--version']);
  checks.push({
    name: 'Chromium (headless shell)',
    ok: chromiumVersion !== null,
    detail: chromiumVersion ? `${chromiumVersion} (${chromium})` : `not found at ${chromium}`,
    fix: chromiumVersion ? null : 'sudo apt-get install -y chromium-headless-shell   (or set REELWRIGHT_CHROMIUM to a Chromium binary)',
    optional: false,
  });
  for (const [name, binary] of [
    ['ffmpeg', DEFAULT_FFMPEG],
    ['ffprobe', DEFAULT_FFPROBE],
  ] as const) {
    const version = await versionOf(binary, ['-version']);
    checks.push({
      name,
      ok: version !== null,
      detail: version ? version.replace(/ Copyright.*$/, '') : `not found (${binary})`,
      fix: version ? null : `sudo apt-get install -y ffmpeg   (or set REELWRIGHT_${name.toUpperCase()})`,
      optional: false,
    });
  }
  for (const font of FONT_CHECKS) {
    const fontOk = await access(font.file, constants.R_OK).then(
      () => true,
      () => false,
    );
    checks.push({
      name: font.name,
      ok: fontOk,
      detail: fontOk ? font.file : font.missing ? `missing: ${font.missing}` : 'missing',
      fix: fontOk ? null : `sudo apt-get install -y ${font.package}`,
      optional: font.optional,
    });
  }
  for (const [name, variable] of [
    ['Runway API key', 'RUNWAYML_API_SECRET'],
    ['Luma API key', 'LUMAAI_API_KEY'],
  ] as const) {
    const present = Boolean(process.env[variable]);
    checks.push({
      name,
      ok: present,
      detail: present ? `${variable} is set` : `${variable} is not set (only needed for ${name.split(' ')[0]} B-roll)`,
      fix: present ? null : `export ${variable}=…`,
      optional: true,
    });
  }
  return checks;
}
