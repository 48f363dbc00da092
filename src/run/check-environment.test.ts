import { describe, expect, it } from 'vitest';
import { checkEnvironment } from './index.js';

describe('checkEnvironment', () => {
  it('reports the fonts for CJK and Indic names as optional checks that name their Debian package', async () => {
    const checks = await checkEnvironment();
    const fonts = checks.filter((c) => c.name.startsWith('Fonts'));
    expect(fonts.map((c) => [c.name, c.optional])).toEqual([
      ['Fonts (DejaVu Sans)', false],
      ['Fonts for Chinese, Japanese and Korean names (WenQuanYi Micro Hei)', true],
      ['Fonts for Indic and Southeast Asian names (Noto Sans UI)', true],
    ]);
    // scripts/setup.sh installs all three, so on a set-up machine each is found (a missing one says what to install).
    for (const check of fonts) expect(check, check.fix ?? '').toMatchObject({ ok: true, fix: null });
    expect(fonts.map((c) => c.detail)).toEqual([
      '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
      '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
      '/usr/share/fonts/truetype/noto/NotoSansDevanagariUI-Regular.ttf',
    ]);
  });
});
