import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';

/** The browser tests drive like a user: Debian's headless shell unless `REELWRIGHT_CHROMIUM` names another. */
export const TEST_CHROMIUM = process.env['REELWRIGHT_CHROMIUM'] ?? '/usr/bin/chromium-headless-shell';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The renderer's text-rasterisation flags (BrowserSession launches with them): without them glyph hinting alone
 * moves text edges by a pixel, so a page screenshot would not match a rendered frame.
 */
export const RENDERER_TEXT_ARGS = ['--font-render-hinting=none', '--disable-font-subpixel-positioning', '--disable-lcd-text', '--force-color-profile=srgb'];

/**
 * Launches headless Chromium for a test that opens pages as a person would (the studio, an HTML report), over a pipe.
 *
 * @example
 * const browser = await launchPageBrowser({ args: RENDERER_TEXT_ARGS });
 */
export function launchPageBrowser(options: { args?: readonly string[] } = {}): Promise<Browser> {
  return puppeteer.launch({ executablePath: TEST_CHROMIUM, headless: 'shell', args: [...BASE_ARGS, ...(options.args ?? [])], pipe: true });
}
