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
  const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
  const fontOk = await access(font, constants.R_OK).then(
    () => true,
    () => false,
  );
  checks.push({
    name: 'Fonts (DejaVu Sans)',
    ok: fontOk,
    detail: fontOk ? font : 'missing',
    fix: fontOk ? null : 'sudo apt-get install -y fonts-dejavu-core',
    optional: false,
  });
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
