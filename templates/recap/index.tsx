/**
 * recap — "Your 2026 in numbers": a data card for one customer. Revenue, orders and new customers
 * count up, a four-bar quarter chart grows from the row's values (scaled to the best quarter),
 * then the card holds still.
 *
 * Timeline (6 s at 30 fps; times in seconds, converted with the video's fps):
 *   0.0–0.9  header and tiles rise in, staggered.
 *   0.5–2.2  the numbers count up (ease-out, so the last digits settle slowly).
 *   1.0–2.4  the bars grow one after another, their labels counting with them.
 *   2.3–2.8  best-quarter chip, average order value, top product.
 *   2.8–6.0  still frame (the renderer can reuse it).
 */
import type { CSSProperties, ReactNode } from 'react';
import { AbsoluteFill, Audio, Easing, defineTemplate, interpolate, spring, useCurrentFrame, useVideoConfig, type SlotMap, type SlotProps } from 'reelwright';
import music from './music.m4a';
import { CURRENCY_SYMBOL, formatCompact, formatDate, groupThousands, luminance, mix, moneyDecimals, numberEmWidth, parseHex, rgba, textEmWidth, type Rgb } from './format.js';

const slots = {
  name: { kind: 'text', maxLength: 40, label: 'Name', description: 'Who the recap is for.' },
  period: { kind: 'text', default: '2026', maxLength: 14, label: 'Period', description: 'Shown as "Your {period} in numbers".' },
  orders: { kind: 'number', integer: true, min: 0, label: 'Orders' },
  revenue: { kind: 'number', min: 0, label: 'Revenue', description: 'In the chosen currency; "." as the decimal separator.' },
  new_customers: { kind: 'number', integer: true, label: 'New customers' },
  top_product: { kind: 'text', optional: true, maxLength: 60, label: 'Top product', description: 'When empty, the card names the best quarter instead.' },
  q1: { kind: 'number', min: 0, label: 'Q1 orders' },
  q2: { kind: 'number', min: 0, label: 'Q2 orders' },
  q3: { kind: 'number', min: 0, label: 'Q3 orders' },
  q4: { kind: 'number', min: 0, label: 'Q4 orders' },
  report_date: { kind: 'date', optional: true, label: 'Report date' },
  accent: { kind: 'color', default: '#0ea5e9', label: 'Accent colour' },
  currency: { kind: 'choice', options: ['USD', 'EUR', 'GBP'], default: 'USD', label: 'Currency' },
} as const satisfies SlotMap;

type Props = SlotProps<typeof slots>;

const FONT = "'DejaVu Sans', sans-serif";
const BG = '#090d1a';
const WHITE: Rgb = { r: 255, g: 255, b: 255 };
const EASE_OUT = Easing.bezier(0.16, 1, 0.3, 1);
/** Count-ups ease out more gently, so the final digits tick in rather than snap. */
const COUNT_EASE = Easing.bezier(0.22, 0.9, 0.3, 1);

type Box = { x: number; y: number; w: number; h: number };
type LayoutKind = 'landscape' | 'vertical' | 'square';
type Layout = {
  kind: LayoutKind;
  pad: number;
  headerTop: number;
  eyebrow: number;
  headline: number;
  headlineWidth: number;
  /** Lines the headline may wrap to before it shrinks. */
  headlineLines: number;
  /** Where the report date sits: right of the header, or under the headline. */
  dateBelow: boolean;
  revenue: Box;
  orders: Box;
  customers: Box;
  chart: Box;
  product: Box;
  label: number;
  bigNumber: number;
  number: number;
  radius: number;
  tilePad: number;
};

const LAYOUTS: Record<LayoutKind, Layout> = {
  landscape: {
    kind: 'landscape',
    pad: 64,
    headerTop: 52,
    eyebrow: 15,
    headline: 48,
    headlineWidth: 820,
    headlineLines: 1,
    dateBelow: false,
    revenue: { x: 64, y: 196, w: 520, h: 180 },
    orders: { x: 64, y: 396, w: 250, h: 140 },
    customers: { x: 334, y: 396, w: 250, h: 140 },
    product: { x: 64, y: 556, w: 520, h: 104 },
    chart: { x: 604, y: 196, w: 612, h: 464 },
    label: 13,
    bigNumber: 64,
    number: 44,
    radius: 20,
    tilePad: 24,
  },
  vertical: {
    kind: 'vertical',
    pad: 48,
    headerTop: 72,
    eyebrow: 16,
    headline: 58,
    headlineWidth: 624,
    headlineLines: 2,
    dateBelow: true,
    revenue: { x: 48, y: 316, w: 624, h: 196 },
    orders: { x: 48, y: 528, w: 304, h: 150 },
    customers: { x: 368, y: 528, w: 304, h: 150 },
    chart: { x: 48, y: 694, w: 624, h: 400 },
    product: { x: 48, y: 1110, w: 624, h: 112 },
    label: 14,
    bigNumber: 72,
    number: 48,
    radius: 22,
    tilePad: 26,
  },
  square: {
    kind: 'square',
    pad: 72,
    headerTop: 68,
    eyebrow: 18,
    headline: 60,
    headlineWidth: 700,
    headlineLines: 1,
    dateBelow: false,
    revenue: { x: 72, y: 232, w: 456, h: 196 },
    orders: { x: 548, y: 232, w: 220, h: 196 },
    customers: { x: 788, y: 232, w: 220, h: 196 },
    chart: { x: 72, y: 448, w: 936, h: 420 },
    product: { x: 72, y: 888, w: 936, h: 116 },
    label: 16,
    bigNumber: 72,
    number: 52,
    radius: 24,
    tilePad: 28,
  },
};

function layoutFor(variant: string, width: number, height: number): Layout {
  if (variant === 'landscape' || variant === 'vertical' || variant === 'square') return LAYOUTS[variant];
  const ratio = width / height;
  return LAYOUTS[ratio > 1.2 ? 'landscape' : ratio < 0.8 ? 'vertical' : 'square'];
}

/** Bar labels: exact below 10,000 (so "1,015" sits next to "637", not "1K"), compact above. */
function chartLabel(value: number): string {
  return Math.abs(value) < 10_000 ? groupThousands(value) : formatCompact(value);
}

function settle(value: number, digits = 3): number {
  const f = Math.pow(10, digits);
  return Math.round(value * f) / f;
}

/** Largest font size ≤ `max` at which `text` (digits) fits `width`. */
function fitNumber(text: string, width: number, max: number): number {
  return Math.max(16, Math.min(max, Math.floor(width / (numberEmWidth(text) * 0.98))));
}

/** A card that rises into place as `appear` goes 0 → 1. */
function Card({ box, appear, radius, style, children }: { box: Box; appear: number; radius: number; style?: CSSProperties; children?: ReactNode }) {
  return (
    <div
      style={{
        position: 'absolute',
        left: box.x,
        top: box.y,
        width: box.w,
        height: box.h,
        boxSizing: 'border-box',
        borderRadius: radius,
        background: 'linear-gradient(180deg, rgba(255,255,255,0.065) 0%, rgba(255,255,255,0.035) 100%)',
        boxShadow: 'inset 0 0 0 1px rgba(255,255,255,0.08), 0 20px 50px rgba(0,0,0,0.25)',
        overflow: 'hidden',
        opacity: appear,
        transform: `translateY(${settle((1 - appear) * 24, 2)}px)`,
        ...style,
      }}
    >
      {children}
    </div>
  );
}

function Label({ size, color, children }: { size: number; color: string; children: ReactNode }) {
  return (
    // Narrow tiles (square variant) let a long label wrap rather than run out of the tile.
    <div style={{ display: 'flex', alignItems: 'flex-start', gap: size * 0.6, fontSize: size, lineHeight: 1.3, fontWeight: 700, letterSpacing: '0.12em', textTransform: 'uppercase', color: 'rgba(255,255,255,0.62)' }}>
      <span style={{ width: size * 0.55, height: size * 0.55, borderRadius: '50%', background: color, flex: 'none', marginTop: size * 0.37 }} />
      {children}
    </div>
  );
}

function RevealWord({ children, progress }: { children: ReactNode; progress: number }) {
  return (
    <span style={{ display: 'inline-block', clipPath: 'inset(-0.6em -0.3em -0.2em -0.3em)' }}>
      <span style={{ display: 'inline-block', transform: `translateY(${settle((1 - progress) * 115, 2)}%)`, opacity: settle(interpolate(progress, [0, 0.35], [0, 1])) }}>{children}</span>
    </span>
  );
}

function Recap({ name, period, orders, revenue, new_customers: newCustomers, top_product: topProduct, q1, q2, q3, q4, report_date: reportDate, accent, currency }: Props) {
  const frame = useCurrentFrame();
  const { width, height, fps, variant } = useVideoConfig();
  const L = layoutFor(variant, width, height);
  const at = (seconds: number) => seconds * fps;
  const enter = (start: number, duration = 0.7) => interpolate(frame, [at(start), at(start + duration)], [0, 1], { easing: EASE_OUT });
  const count = (start: number, duration: number) => interpolate(frame, [at(start), at(start + duration)], [0, 1], { easing: COUNT_EASE });

  const accentRgb = parseHex(accent);
  const accentOnDark = luminance(accentRgb) < 0.12 ? mix(accentRgb, WHITE, 0.45) : accentRgb;
  const accentSoft = mix(accentOnDark, WHITE, 0.35);
  const symbol = CURRENCY_SYMBOL[currency];
  const periodText = period.trim() || '2026';
  const dateText = reportDate ? formatDate(reportDate) : null;

  // --- numbers ---
  const revenueDecimals = moneyDecimals(revenue);
  const money = (value: number, decimals: number) => `${symbol}${groupThousands(value, decimals)}`;
  const revenueFinal = money(revenue, revenueDecimals);
  const ordersFinal = groupThousands(orders);
  const customersFinal = groupThousands(newCustomers);
  const revenueNow = money(revenue * count(0.5, 1.7), revenueDecimals);
  const ordersNow = groupThousands(Math.round(orders * count(0.65, 1.45)));
  const customersNow = groupThousands(Math.round(newCustomers * count(0.75, 1.35)));
  const averageOrder = orders > 0 ? revenue / orders : null;

  // --- chart ---
  const quarters = [q1, q2, q3, q4] as const;
  const max = Math.max(...quarters);
  const best = max > 0 ? quarters.indexOf(max) : -1;
  const bestChip = settle(spring({ frame, fps, delay: at(2.3), config: { damping: 13, stiffness: 200, mass: 0.8 } }));

  // --- entrances ---
  const eyebrowIn = enter(0.1);
  const dateIn = enter(0.5);
  const headlineWords = ['Your', periodText, 'in', 'numbers'];
  // One line in landscape and square (the tiles start right below), up to two in vertical; the 0.85
  // leaves room for the greedy line break not landing at the ideal spot.
  const headlineSize = Math.min(L.headline, Math.floor((L.headlineWidth * (L.headlineLines > 1 ? 0.85 * L.headlineLines : 1)) / (textEmWidth(headlineWords.join(' ')) - 0.025 * headlineWords.join(' ').length)));
  const tileIn = [enter(0.35, 0.8), enter(0.5, 0.8), enter(0.6, 0.8), enter(0.7, 0.8), enter(1.6, 0.8)] as const;
  const averageIn = enter(2.2);

  const tilePad = L.tilePad;
  const innerWidth = (box: Box) => box.w - tilePad * 2;

  // Chart geometry (inside the chart card).
  const chart = L.chart;
  const chartHeader = L.label * 3.2;
  const quarterLabel = L.label * 2.6;
  const valueLabel = L.label * 2.4;
  const plot = { x: tilePad, y: tilePad + chartHeader, w: chart.w - tilePad * 2, h: chart.h - tilePad * 2 - chartHeader - quarterLabel };
  const barHeightMax = plot.h - valueLabel;
  const slot = plot.w / 4;
  const barWidth = Math.min(slot * 0.56, L.kind === 'vertical' ? 96 : 120);

  const productText = topProduct?.trim();
  const bestQuarterText = best >= 0 ? `Q${best + 1} · ${groupThousands(max)} orders` : 'No orders yet';

  return (
    <AbsoluteFill style={{ background: BG, fontFamily: FONT, color: '#ffffff' }}>
      {/* A soft chord bed (music.m4a, made with ffmpeg: see README) that fades out over the last 1.5 s. */}
      <Audio src={music} volume={0.8} fadeInSeconds={0.3} fadeOutSeconds={1.5} loop />
      {/* Backdrop: two soft accent glows and a fading dot grid */}
      <AbsoluteFill
        style={{
          background: `radial-gradient(70% 60% at 100% 0%, ${rgba(accentRgb, 0.38)} 0%, ${rgba(accentRgb, 0)} 70%), radial-gradient(60% 50% at 0% 100%, ${rgba(mix(accentRgb, { r: 124, g: 58, b: 237 }, 0.5), 0.22)} 0%, rgba(0,0,0,0) 70%)`,
        }}
      />
      <AbsoluteFill
        style={{
          backgroundImage: 'radial-gradient(rgba(255,255,255,0.09) 1px, rgba(255,255,255,0) 1.6px)',
          backgroundSize: '28px 28px',
          WebkitMaskImage: 'linear-gradient(180deg, rgba(0,0,0,0.9) 0%, rgba(0,0,0,0) 55%)',
        }}
      />

      {/* Header */}
      <div style={{ position: 'absolute', left: L.pad, right: L.pad, top: L.headerTop, display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 24 }}>
        <div style={{ minWidth: 0 }}>
          <div
            style={{
              display: 'flex',
              alignItems: 'center',
              gap: L.eyebrow * 0.6,
              fontSize: L.eyebrow,
              color: rgba(accentSoft, 1),
              fontWeight: 700,
              letterSpacing: '0.04em',
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              maxWidth: L.headlineWidth,
              opacity: eyebrowIn,
              transform: `translateY(${settle((1 - eyebrowIn) * 10, 2)}px)`,
            }}
          >
            <span style={{ width: L.eyebrow * 1.6, height: 3, borderRadius: 2, background: rgba(accentOnDark, 1), flex: 'none' }} />
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
              Prepared for <bdi>{name}</bdi>
            </span>
          </div>
          <div style={{ fontSize: headlineSize, fontWeight: 700, letterSpacing: '-0.025em', lineHeight: 1.1, marginTop: L.eyebrow * 0.9, maxWidth: L.headlineWidth }}>
            {headlineWords.map((word, i) => (
              <span key={i}>
                {i > 0 ? ' ' : ''}
                <RevealWord progress={enter(0.2 + i * 0.09, 0.8)}>{i === 1 ? <span style={{ color: rgba(accentSoft, 1) }}>{word}</span> : word}</RevealWord>
              </span>
            ))}
          </div>
          {dateText && L.dateBelow ? (
            <div style={{ marginTop: L.eyebrow, fontSize: L.eyebrow, color: 'rgba(255,255,255,0.6)', opacity: dateIn }}>
              Report date <span style={{ color: '#ffffff', fontWeight: 700 }}>{dateText}</span>
            </div>
          ) : null}
        </div>
        {dateText && !L.dateBelow ? (
          <div style={{ textAlign: 'right', flex: 'none', opacity: dateIn, transform: `translateY(${settle((1 - dateIn) * 10, 2)}px)`, paddingTop: 4 }}>
            <div style={{ fontSize: L.label, fontWeight: 700, letterSpacing: '0.12em', textTransform: 'uppercase', color: 'rgba(255,255,255,0.5)' }}>Report date</div>
            <div style={{ fontSize: L.eyebrow * 1.15, fontWeight: 700, marginTop: 6 }}>{dateText}</div>
          </div>
        ) : null}
      </div>

      {/* Revenue: the hero tile */}
      <Card
        box={L.revenue}
        appear={tileIn[0]}
        radius={L.radius}
        style={{
          background: `linear-gradient(135deg, ${rgba(accentRgb, 0.34)} 0%, ${rgba(accentRgb, 0.1)} 100%)`,
          boxShadow: `inset 0 0 0 1px ${rgba(accentOnDark, 0.45)}, 0 24px 60px ${rgba(accentRgb, 0.18)}`,
        }}
      >
        <div style={{ position: 'absolute', inset: tilePad, display: 'flex', flexDirection: 'column', justifyContent: 'space-between' }}>
          <Label size={L.label} color={rgba(accentSoft, 1)}>
            Revenue · {currency}
          </Label>
          <div style={{ fontSize: fitNumber(revenueFinal, innerWidth(L.revenue), L.bigNumber), fontWeight: 700, letterSpacing: '-0.02em', lineHeight: 1, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{revenueNow}</div>
          <div style={{ fontSize: L.label * 1.15, color: 'rgba(255,255,255,0.66)', opacity: averageIn, whiteSpace: 'nowrap' }}>
            {averageOrder !== null ? (
              <>
                Average order <span style={{ color: '#ffffff', fontWeight: 700 }}>{money(averageOrder, moneyDecimals(averageOrder))}</span>
              </>
            ) : (
              'No orders yet'
            )}
          </div>
        </div>
      </Card>

      {/* Orders and new customers */}
      {(
        [
          [L.orders, 'Orders', ordersNow, ordersFinal, tileIn[1]],
          [L.customers, 'New customers', customersNow, customersFinal, tileIn[2]],
        ] as const
      ).map(([box, label, now, final, appear]) => (
        <Card key={label} box={box} appear={appear} radius={L.radius}>
          <div style={{ position: 'absolute', inset: tilePad, display: 'flex', flexDirection: 'column', justifyContent: 'space-between' }}>
            <Label size={L.label} color={rgba(accentSoft, 0.8)}>
              {label}
            </Label>
            <div style={{ fontSize: fitNumber(final, innerWidth(box), L.number), fontWeight: 700, letterSpacing: '-0.02em', lineHeight: 1, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{now}</div>
          </div>
        </Card>
      ))}

      {/* Quarter chart */}
      <Card box={chart} appear={tileIn[3]} radius={L.radius}>
        <div style={{ position: 'absolute', left: tilePad, right: tilePad, top: tilePad, height: L.label * 2.2, display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Label size={L.label} color={rgba(accentSoft, 0.8)}>
            Orders by quarter
          </Label>
          {best >= 0 ? (
            <div
              style={{
                fontSize: L.label,
                fontWeight: 700,
                letterSpacing: '0.06em',
                padding: `${L.label * 0.45}px ${L.label * 0.9}px`,
                borderRadius: L.label * 2,
                background: rgba(accentOnDark, 0.18),
                color: rgba(accentSoft, 1),
                boxShadow: `inset 0 0 0 1px ${rgba(accentOnDark, 0.4)}`,
                transform: `scale(${settle(0.7 + 0.3 * bestChip, 2)})`,
                opacity: interpolate(frame, [at(2.3), at(2.45)], [0, 1]),
                whiteSpace: 'nowrap',
              }}
            >
              ▲ Best: Q{best + 1}
            </div>
          ) : null}
        </div>
        <div style={{ position: 'absolute', left: plot.x, top: plot.y, width: plot.w, height: plot.h }}>
          {/* Gridlines at thirds of the best quarter, plus the baseline */}
          {[1, 2 / 3, 1 / 3].map((f) => (
            <div key={f} style={{ position: 'absolute', left: 0, right: 0, top: plot.h - barHeightMax * f, height: 1, background: 'rgba(255,255,255,0.07)' }} />
          ))}
          <div style={{ position: 'absolute', left: 0, right: 0, top: plot.h - 1, height: 2, background: 'rgba(255,255,255,0.18)' }} />
          {quarters.map((value, i) => {
            const grow = enter(1.0 + i * 0.12, 1.0);
            const barHeight = max > 0 ? (value / max) * barHeightMax * grow : 0;
            const isBest = i === best;
            const left = slot * i + (slot - barWidth) / 2;
            return (
              <div key={i}>
                <div
                  style={{
                    position: 'absolute',
                    left,
                    width: barWidth,
                    bottom: 0,
                    height: Math.max(settle(barHeight, 2), 4),
                    borderRadius: `${Math.min(12, barWidth / 5)}px ${Math.min(12, barWidth / 5)}px 3px 3px`,
                    background: isBest
                      ? `linear-gradient(180deg, ${rgba(accentSoft, 1)} 0%, ${rgba(accentOnDark, 1)} 100%)`
                      : `linear-gradient(180deg, ${rgba(accentOnDark, 0.5)} 0%, ${rgba(accentOnDark, 0.22)} 100%)`,
                    boxShadow: isBest ? `0 0 40px ${rgba(accentOnDark, 0.35)}` : undefined,
                    opacity: grow > 0 ? 1 : 0,
                  }}
                />
                <div
                  style={{
                    position: 'absolute',
                    left: slot * i,
                    width: slot,
                    bottom: settle(barHeight, 2) + L.label * 0.6,
                    textAlign: 'center',
                    fontSize: L.label * 1.3,
                    fontWeight: 700,
                    fontVariantNumeric: 'tabular-nums',
                    color: isBest ? '#ffffff' : 'rgba(255,255,255,0.75)',
                    opacity: interpolate(grow, [0.1, 0.4], [0, 1]),
                    whiteSpace: 'nowrap',
                  }}
                >
                  {chartLabel(Math.round(value * grow))}
                </div>
                <div
                  style={{
                    position: 'absolute',
                    left: slot * i,
                    width: slot,
                    top: plot.h + L.label * 0.9,
                    textAlign: 'center',
                    fontSize: L.label * 1.15,
                    fontWeight: 700,
                    letterSpacing: '0.08em',
                    color: isBest ? rgba(accentSoft, 1) : 'rgba(255,255,255,0.5)',
                  }}
                >
                  Q{i + 1}
                </div>
              </div>
            );
          })}
        </div>
      </Card>

      {/* Top product, or the best quarter when the row has none */}
      <Card box={L.product} appear={tileIn[4]} radius={L.radius}>
        <div style={{ position: 'absolute', inset: `0 ${tilePad}px`, display: 'flex', alignItems: 'center', gap: tilePad * 0.75 }}>
          <div
            style={{
              width: L.product.h * 0.52,
              height: L.product.h * 0.52,
              borderRadius: '50%',
              flex: 'none',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              background: rgba(accentOnDark, 0.18),
              boxShadow: `inset 0 0 0 1px ${rgba(accentOnDark, 0.4)}`,
              color: rgba(accentSoft, 1),
              fontSize: L.product.h * 0.24,
            }}
          >
            {productText ? '★' : '▲'}
          </div>
          <div style={{ minWidth: 0, display: 'flex', flexDirection: 'column', gap: L.label * 0.5 }}>
            <div style={{ fontSize: L.label, fontWeight: 700, letterSpacing: '0.12em', textTransform: 'uppercase', color: 'rgba(255,255,255,0.55)' }}>{productText ? 'Top product' : 'Best quarter'}</div>
            <div style={{ fontSize: L.label * 1.75, fontWeight: 700, letterSpacing: '-0.01em', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              <bdi>{productText || bestQuarterText}</bdi>
            </div>
          </div>
        </div>
      </Card>
    </AbsoluteFill>
  );
}

export default defineTemplate({
  id: 'recap',
  version: '1.1.0',
  description: 'Data recap card: revenue, orders and new customers counting up, a quarter-by-quarter bar chart and the top product.',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 6,
  variants: {
    landscape: { width: 1280, height: 720 },
    vertical: { width: 720, height: 1280 },
    square: { width: 1080, height: 1080 },
  },
  // Files named after the person (sanitized; a name two rows share gets -2): outputs/recap/Ada Lovelace-2026-landscape.mp4.
  outputName: '{{name}}-{{period}}-{{variant}}',
  slots,
  component: Recap,
});
