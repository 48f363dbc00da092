/**
 * Customers' names in non-Latin scripts render as real glyphs, not tofu boxes: in the headless shell with our
 * launch flags, `'DejaVu Sans', sans-serif` falls back per glyph through fontconfig to the fonts `scripts/setup.sh`
 * installs (fonts-wqy-microhei for Han, kana and Hangul; fonts-noto-ui-core for Devanagari, Bengali, Tamil, Thai
 * and other Indic/Southeast Asian scripts; DejaVu for Latin, Greek, Cyrillic, Arabic and Hebrew).
 *
 * A letter is tofu when it draws exactly like U+E000 (a private-use code point no installed font covers, so it
 * always shows the primary font's "missing glyph" box). Every character but spaces and combining marks is compared
 * alone: a lone combining mark may be drawn with a dotted circle even when its script has no font.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../media/index.js';
import { loadTemplate } from '../template/index.js';
import { BrowserSession, bundleTemplate, renderVideo, serveFiles } from './index.js';
import type { FileServer } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));

/** One name per script; `datasets/welcome.csv` carries several of them. */
const NAMES = [
  { script: 'Han (Chinese)', text: '王芳 李小龍' },
  { script: 'Han and kana (Japanese)', text: '山田太郎 さくら サクラ' },
  { script: 'Hangul (Korean)', text: '김민준' },
  { script: 'Devanagari (Hindi)', text: 'प्रिया शर्मा' },
  { script: 'Bengali', text: 'রবীন্দ্রনাথ' },
  { script: 'Tamil', text: 'கார்த்திக்' },
  { script: 'Arabic', text: 'محمد العلي' },
  { script: 'Hebrew', text: 'יעל כהן' },
  { script: 'Thai', text: 'สมชาย ใจดี' },
  { script: 'Cyrillic', text: 'Дмитрий Иванов' },
  { script: 'Greek', text: 'Γιώργος Παπαδόπουλος' },
] as const;

/** The templates' font stack, bold like the welcome template's name line. */
const FONT = "700 40px 'DejaVu Sans', sans-serif";

type LetterCheck = { letter: string; tofu: boolean; ink: number };
type NameCheck = { text: string; width: number; ink: number; letters: LetterCheck[] };

/**
 * A page expression drawing each name, and each of its letters alone, on a canvas; it reports the ink (painted
 * pixels) of each and whether a letter is pixel-identical to the tofu box.
 */
function checkExpression(names: readonly string[]): string {
  return `(() => {
    const names = ${JSON.stringify(names)};
    const font = ${JSON.stringify(FONT)};
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 64;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const draw = (text) => {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.font = font;
      ctx.textBaseline = 'middle';
      ctx.fillStyle = '#000';
      ctx.fillText(text, 8, 32);
      const alpha = [];
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) alpha.push(data[i]);
      return alpha;
    };
    const inkOf = (alpha) => alpha.filter((a) => a > 0).length;
    const tofu = draw('\\uE000');
    const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
    return {
      tofuInk: inkOf(tofu),
      names: names.map((text) => {
        ctx.font = font;
        const width = ctx.measureText(text).width;
        const letters = [...text].filter((ch) => !/[\\p{M}\\p{Z}]/u.test(ch)).map((letter) => {
          const alpha = draw(letter);
          return { letter, tofu: same(alpha, tofu), ink: inkOf(alpha) };
        });
        return { text, width, ink: inkOf(draw(text)), letters };
      }),
    };
  })()`;
}

/** A card showing every name in the DOM, the way templates draw text. */
const CARD_HTML = `<!doctype html><meta charset="utf-8">
<style>html,body{margin:0;height:100%;overflow:hidden;background:#101018;color:#fff}
body{font-family:'DejaVu Sans',sans-serif;font-size:22px;line-height:1.2;padding:8px}
div:nth-child(odd){font-weight:700}</style>
<body>${NAMES.map((n) => `<div>${n.text}</div>`).join('')}</body>`;

describe('names in non-Latin scripts', () => {
  let dir: string;
  let server: FileServer;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-scripts-'));
    await writeFile(path.join(dir, 'card.html'), CARD_HTML);
    server = await serveFiles();
    base = server.mount('pages', dir);
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('draws every letter of CJK, Hangul, Devanagari, Bengali, Tamil, Arabic, Hebrew, Thai, Cyrillic and Greek names as a glyph, not the tofu box', async () => {
    await using session = await BrowserSession.launch({ width: 320, height: 180 });
    await session.navigate({ url: `${base}card.html` });
    const probe = ['\uE001', ...NAMES.map((n) => n.text)];
    const result = (await session.evaluate({ expression: checkExpression(probe) })) as { tofuInk: number; names: NameCheck[] };
    // The reference box is visible, and the check recognises another uncovered code point as tofu.
    expect(result.tofuInk).toBeGreaterThan(20);
    expect(result.names[0]?.letters).toEqual([expect.objectContaining({ tofu: true })]);
    // Every script is checked before failing, so a missing font names all the scripts it leaves as boxes.
    const problems: Record<string, { width: number; ink: number; tofu: string[]; blank: string[] }> = {};
    for (const [i, { script, text }] of NAMES.entries()) {
      const check = result.names[i + 1]!;
      const tofu = check.letters.filter((l) => l.tofu).map((l) => l.letter);
      const blank = check.letters.filter((l) => l.ink === 0).map((l) => l.letter);
      if (check.width <= 0 || check.ink === 0 || tofu.length > 0 || blank.length > 0) {
        problems[`${script} "${text}"`] = { width: check.width, ink: check.ink, tofu, blank };
      }
    }
    expect(problems).toEqual({});
  });

  it('captures the same pixels for the same names in two separate browsers', async () => {
    const frames: Buffer[] = [];
    for (let run = 0; run < 2; run++) {
      await using session = await BrowserSession.launch({ width: 320, height: 260 });
      await session.navigate({ url: `${base}card.html` });
      frames.push(await session.capture({ quality: 90 }));
    }
    expect(frames[0]!.equals(frames[1]!)).toBe(true);
  });

  it('renders a CJK and Hangul name through renderVideo differently from the same number of tofu boxes', async () => {
    const cacheDir = path.join(dir, 'cache');
    const entry = path.join(FIXTURES, 'hello-card', 'index.tsx');
    const bundle = await bundleTemplate({ entry, cacheDir });
    const { definition: template } = await loadTemplate({ entry, cacheDir });
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    const lastFrame = async (name: string, file: string): Promise<Buffer> => {
      const result = await renderVideo({
        session,
        server,
        bundle,
        template,
        variant: 'landscape',
        props: { name, accent: '#e0457b', seconds: 0.2 },
        clipFrames: {},
        outFile: path.join(dir, file),
        randomSeed: 'scripts',
      });
      return (await decodeFrames({ file: result.outFile })).at(-1)!;
    };
    // Han and Hangul letters have no combining marks, so without a font both lines are the same five boxes.
    const named = await lastFrame('王芳 김민준', 'named.mp4');
    const boxes = await lastFrame('\uE000\uE000 \uE000\uE000\uE000', 'boxes.mp4');
    let differing = 0;
    for (let i = 0; i < named.length; i++) if (Math.abs(named[i]! - boxes[i]!) > 48) differing++;
    expect(differing).toBeGreaterThan(50);
  });
});
