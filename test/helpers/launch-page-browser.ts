import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { BASE_BROWSER_FLAGS, DEFAULT_CHROMIUM_PATH } from '../../src/render/index.js';

/** The browser tests drive like a user: the renderer's default Chromium unless `REELWRIGHT_CHROMIUM` names another. */
export const TEST_CHROMIUM = process.env['REELWRIGHT_CHROMIUM'] || DEFAULT_CHROMIUM_PATH;

/**
 * Launches headless Chromium for a test that opens pages as a person would (the studio, an HTML report), over a pipe.
 *
 * @example
 * const browser = await launchPageBrowser({ args: TEXT_RENDERING_FLAGS }); // from src/render: match rendered frames
 */
export function launchPageBrowser(options: { args?: readonly string[] } = {}): Promise<Browser> {
  return puppeteer.launch({ executablePath: TEST_CHROMIUM, headless: 'shell', args: [...BASE_BROWSER_FLAGS, ...(options.args ?? [])], pipe: true });
}
