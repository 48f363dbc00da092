/**
 * welcome — a personalized onboarding video: the new customer's city as cinematic B-roll, their
 * company's logo, "Welcome, {name}", plan and start date, then a call to action.
 *
 * Timeline (8 s at 30 fps; every time below is in seconds and converted with the video's fps):
 *   0.0–2.5  entrance: footage fades up, logo springs in, headline words rise one after another,
 *            details follow.
 *   2.5–4.4  calm hold on the text while the footage plays.
 *   4.4–5.3  focus pull: the footage blurs and darkens as the clip reaches its last frame (5 s).
 *   5.2–6.7  the call-to-action pill springs in, its arrow slides, a single shine sweeps across it.
 *   6.7–8.0  still frame.
 *
 * Why the B-roll plays once and then holds its last frame instead of looping or stretching to 8 s:
 * a playing clip changes every frame, so no frame can be reused by the renderer. Playing the 5 s
 * clip at normal speed and freezing it behind a deliberate focus pull (blur + darken) makes the
 * freeze read as a cut to the CTA rather than a stall, keeps the footage at its native motion,
 * and leaves the last ~2.7 s as bursts and holds that the renderer can capture cheaply.
 * For the same reason the progress line tracks the story, not the clock: it runs with the clip,
 * completes as the CTA lands and then stays put.
 */
import type { CSSProperties, ReactNode } from 'react';
import {
  AbsoluteFill,
  BRoll,
  Easing,
  Img,
  defineTemplate,
  interpolate,
  spring,
  useCurrentFrame,
  useVideoConfig,
  type SlotMap,
  type SlotProps,
} from 'reelwright';
import { formatLongDate, initials, inkOn, luminance, mix, parseHex, rgba, type Rgb } from './format.js';
import { fitText, isRtl, joinPieces } from './text-layout.js';

const slots = {
  name: { kind: 'text', maxLength: 40, label: 'Name', description: 'How the new customer likes to be greeted.' },
  company: { kind: 'text', maxLength: 60, label: 'Company' },
  accent: { kind: 'color', default: '#4f46e5', label: 'Accent colour', description: 'Brand colour for the tint, the CTA and the progress line.' },
  logo: { kind: 'image', optional: true, label: 'Logo', description: 'Square-ish logo; shown on a white tile. Without one, the company initials are used.' },
  city: { kind: 'text', label: 'City', description: 'Also drives the B-roll prompt.' },
  cta: { kind: 'text', optional: true, maxLength: 32, default: 'Get started', label: 'Call to action' },
  email: { kind: 'text', optional: true, aliases: ['e-mail', 'mail'], label: 'Email' },
  plan: { kind: 'choice', options: ['starter', 'pro', 'enterprise'], default: 'starter', label: 'Plan' },
  start_date: { kind: 'date', optional: true, label: 'Start date' },
  background: {
    kind: 'broll',
    prompt: 'Slow cinematic aerial footage of {{city}} at golden hour, soft light, shallow depth of field',
    seconds: 5,
    provider: 'local',
    label: 'Background footage',
  },
} as const satisfies SlotMap;

type Props = SlotProps<typeof slots>;
type Plan = Props['plan'];

/** Length of the B-roll clip, in seconds (matches `slots.background.seconds`). */
const CLIP_SECONDS = slots.background.seconds;
const FONT = "'DejaVu Sans', sans-serif";
const INK = '#06070f';
const WHITE: Rgb = { r: 255, g: 255, b: 255 };
const PLAN_LABEL: Record<Plan, string> = { starter: 'Starter', pro: 'Pro', enterprise: 'Enterprise' };
/** Expo-like ease-out used for every entrance: fast start, long soft landing. */
const EASE_OUT = Easing.bezier(0.16, 1, 0.3, 1);

type LayoutKind = 'landscape' | 'vertical' | 'square';

/** Every size in px for one variant. */
type Layout = {
  kind: LayoutKind;
  pad: number;
  top: number;
  logo: number;
  company: number;
  badge: number;
  bar: number;
  welcome: number;
  nameMax: number;
  nameMin: number;
  nameWidth: number;
  nameLines: number;
  sub: number;
  subWidth: number;
  meta: number;
  cta: number;
  email: number;
  bottom: number;
  gap: number;
};

const LAYOUTS: Record<LayoutKind, Layout> = {
  landscape: { kind: 'landscape', pad: 72, top: 56, logo: 60, company: 22, badge: 14, bar: 56, welcome: 34, nameMax: 88, nameMin: 40, nameWidth: 860, nameLines: 2, sub: 23, subWidth: 720, meta: 18, cta: 21, email: 16, bottom: 80, gap: 20 },
  vertical: { kind: 'vertical', pad: 56, top: 64, logo: 64, company: 24, badge: 14, bar: 56, welcome: 36, nameMax: 92, nameMin: 40, nameWidth: 600, nameLines: 3, sub: 25, subWidth: 600, meta: 20, cta: 25, email: 18, bottom: 112, gap: 24 },
  square: { kind: 'square', pad: 84, top: 80, logo: 80, company: 29, badge: 18, bar: 72, welcome: 46, nameMax: 120, nameMin: 52, nameWidth: 900, nameLines: 2, sub: 31, subWidth: 880, meta: 25, cta: 29, email: 21, bottom: 116, gap: 28 },
};

function layoutFor(variant: string, width: number, height: number): Layout {
  if (variant === 'landscape' || variant === 'vertical' || variant === 'square') return LAYOUTS[variant];
  const ratio = width / height;
  return LAYOUTS[ratio > 1.2 ? 'landscape' : ratio < 0.8 ? 'vertical' : 'square'];
}

/** Rounds an animated value so that a settling spring stops producing new styles (lets the renderer reuse frames). */
function settle(value: number, digits = 3): number {
  const f = Math.pow(10, digits);
  return Math.round(value * f) / f;
}

function PinIcon({ size, color }: { size: number; color: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" style={{ flex: 'none' }}>
      <path fill={color} d="M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z" />
    </svg>
  );
}

function CalendarIcon({ size, color }: { size: number; color: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" style={{ flex: 'none' }}>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2.5" fill="none" stroke={color} strokeWidth="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4" stroke={color} strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** Shown instead of footage when no clip is available (e.g. a preview before generation). */
function FallbackBackdrop({ accent }: { accent: Rgb }) {
  return (
    <AbsoluteFill
      style={{
        background: `radial-gradient(80% 70% at 78% 30%, ${rgba(accent, 0.65)} 0%, ${rgba(accent, 0)} 70%), radial-gradient(60% 60% at 10% 90%, ${rgba(mix(accent, WHITE, 0.3), 0.35)} 0%, rgba(0,0,0,0) 70%), linear-gradient(160deg, #1a1c2e 0%, ${INK} 100%)`,
      }}
    />
  );
}

function PlanBadge({ plan, accent, size, progress }: { plan: Plan; accent: Rgb; size: number; progress: number }) {
  const base: CSSProperties = {
    display: 'flex',
    alignItems: 'center',
    gap: size * 0.5,
    height: size * 2.3,
    padding: `0 ${size * 1.1}px`,
    borderRadius: size * 1.15,
    fontSize: size,
    fontWeight: 700,
    letterSpacing: '0.14em',
    textTransform: 'uppercase',
    whiteSpace: 'nowrap',
    opacity: progress,
    transform: `translateX(${settle((1 - progress) * size * 1.5, 2)}px)`,
  };
  const look: Record<Plan, CSSProperties> = {
    starter: { color: '#ffffff', background: 'rgba(255,255,255,0.10)', boxShadow: 'inset 0 0 0 1.5px rgba(255,255,255,0.55)' },
    pro: { color: inkOn(accent), background: rgba(accent, 1), boxShadow: `0 6px 24px ${rgba(accent, 0.45)}, inset 0 0 0 1px rgba(255,255,255,0.25)` },
    enterprise: { color: '#15120a', background: 'linear-gradient(135deg, #f8e7b5 0%, #d9b25f 100%)', boxShadow: '0 6px 24px rgba(217,178,95,0.35)' },
  };
  return (
    <div style={{ ...base, ...look[plan] }}>
      {plan === 'enterprise' ? <span style={{ fontSize: size * 0.9, letterSpacing: 0 }}>◆</span> : null}
      <span>{PLAN_LABEL[plan]} plan</span>
    </div>
  );
}

/** A word that rises out of an invisible mask. `progress` 0 → hidden below, 1 → in place. */
function RevealWord({ children, progress }: { children: ReactNode; progress: number }) {
  return (
    <span style={{ display: 'inline-block', clipPath: 'inset(-0.7em -0.4em -0.22em -0.4em)' }}>
      <span
        style={{
          display: 'inline-block',
          transform: `translateY(${settle((1 - progress) * 120, 2)}%)`,
          opacity: settle(interpolate(progress, [0, 0.35], [0, 1]), 3),
        }}
      >
        {children}
      </span>
    </span>
  );
}

function Welcome({ name, company, accent, logo, city, cta, email, plan, start_date: startDate, background }: Props) {
  const frame = useCurrentFrame();
  const { width, height, fps, variant } = useVideoConfig();
  const L = layoutFor(variant, width, height);
  const at = (seconds: number) => seconds * fps;
  const enter = (start: number, duration = 0.7) => interpolate(frame, [at(start), at(start + duration)], [0, 1], { easing: EASE_OUT });

  const accentRgb = parseHex(accent);
  // Dark brand colours disappear on the darkened footage: lift them for lines and glows.
  const accentOnDark = luminance(accentRgb) < 0.12 ? mix(accentRgb, WHITE, 0.45) : accentRgb;
  const ctaText = (cta ?? '').trim() || 'Get started';
  const startLine = startDate ? formatLongDate(startDate) : null;
  const rtl = isRtl(name);

  // --- background: fade up, slow push-out while the clip plays, focus pull as it freezes ---
  const bgOpacity = interpolate(frame, [0, at(0.6)], [0, 1], { easing: Easing.out(Easing.quad) });
  const bgScale = interpolate(frame, [0, at(CLIP_SECONDS)], [1.12, 1.04]);
  const focusPull = interpolate(frame, [at(4.4), at(5.3)], [0, 1], { easing: Easing.inOut(Easing.cubic) });
  const blur = settle(focusPull * 12, 2);

  // --- entrance ---
  const logoPop = settle(spring({ frame, fps, delay: at(0.25), config: { damping: 12, stiffness: 170, mass: 0.8 } }));
  const companyIn = enter(0.45);
  const badgeIn = enter(0.65);
  const barIn = enter(0.5, 0.8);
  const welcomeIn = enter(0.55, 0.8);
  const subIn = enter(1.55);
  const metaIn = enter(1.8);

  // --- call to action ---
  const ctaPop = settle(spring({ frame, fps, delay: at(5.2), config: { damping: 13, stiffness: 190, mass: 0.9 } }));
  const ctaOpacity = interpolate(frame, [at(5.2), at(5.45)], [0, 1]);
  const arrowIn = enter(5.5, 0.6);
  const shine = interpolate(frame, [at(5.85), at(6.6)], [0, 1], { easing: Easing.inOut(Easing.quad) });
  const emailIn = enter(5.65);
  const progress = interpolate(frame, [0, at(CLIP_SECONDS), at(6.7)], [0, 0.78, 1]);

  // --- headline ---
  const fitted = fitText({ text: name, maxWidth: L.nameWidth, maxLines: L.nameLines, maxSize: L.nameMax, minSize: L.nameMin, letterSpacing: -0.02 });
  const wordStart = 0.75;
  const wordStagger = 0.11;
  let wordIndex = 0;

  const textShadow = '0 2px 20px rgba(0,0,0,0.35)';
  const overlay =
    L.kind === 'vertical'
      ? `linear-gradient(180deg, rgba(6,7,15,0.7) 0%, rgba(6,7,15,0.12) 22%, rgba(6,7,15,0.35) 42%, rgba(6,7,15,0.88) 66%, rgba(6,7,15,0.96) 100%)`
      : `linear-gradient(100deg, rgba(6,7,15,0.92) 0%, rgba(6,7,15,0.78) 38%, rgba(6,7,15,0.3) 75%, rgba(6,7,15,0.2) 100%), linear-gradient(0deg, rgba(6,7,15,0.55) 0%, rgba(6,7,15,0) 45%)`;
  const tint =
    L.kind === 'vertical'
      ? `radial-gradient(120% 60% at 100% 0%, ${rgba(accentRgb, 0.5)} 0%, ${rgba(accentRgb, 0)} 65%)`
      : `radial-gradient(90% 110% at 100% 100%, ${rgba(accentRgb, 0.55)} 0%, ${rgba(accentRgb, 0)} 62%)`;

  const iconColor = rgba(mix(accentOnDark, WHITE, 0.35), 1);
  const ctaInk = inkOn(accentRgb);

  return (
    <AbsoluteFill style={{ background: INK, fontFamily: FONT, color: '#ffffff' }}>
      {/* Footage layer */}
      <AbsoluteFill style={{ opacity: bgOpacity, transform: `scale(${settle(bgScale, 4)})`, filter: blur > 0 ? `blur(${blur}px)` : undefined }}>
        {background ? <BRoll src={background} holdLastFrame /> : <FallbackBackdrop accent={accentRgb} />}
      </AbsoluteFill>
      {/* Brand grade: a light colour wash, then the legibility gradient and the accent glow */}
      <AbsoluteFill style={{ background: rgba(accentRgb, 1), mixBlendMode: 'color', opacity: 0.22 }} />
      <AbsoluteFill style={{ background: overlay }} />
      <AbsoluteFill style={{ background: tint }} />
      <AbsoluteFill style={{ background: INK, opacity: settle(focusPull * 0.32) }} />

      {/* Top bar: brand lockup and plan */}
      <div
        style={{
          position: 'absolute',
          left: L.pad,
          right: L.pad,
          top: L.top,
          height: L.logo,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: L.gap,
        }}
      >
        <div style={{ display: 'flex', alignItems: 'center', gap: L.logo * 0.28, minWidth: 0 }}>
          <div
            style={{
              width: L.logo,
              height: L.logo,
              flex: 'none',
              borderRadius: L.logo * 0.24,
              background: logo ? '#ffffff' : `linear-gradient(135deg, ${rgba(mix(accentRgb, WHITE, 0.15), 1)} 0%, ${rgba(accentRgb, 1)} 100%)`,
              boxShadow: '0 10px 30px rgba(0,0,0,0.35)',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              padding: logo ? L.logo * 0.14 : 0,
              boxSizing: 'border-box',
              transform: `scale(${logoPop})`,
              opacity: logoPop > 0 ? 1 : 0,
            }}
          >
            {logo ? (
              <Img src={logo} alt={company} style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
            ) : (
              <span style={{ fontSize: L.logo * 0.38, fontWeight: 700, color: inkOn(accentRgb), letterSpacing: '-0.02em' }}>{initials(company)}</span>
            )}
          </div>
          <div
            style={{
              fontSize: L.company,
              fontWeight: 700,
              letterSpacing: '-0.01em',
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              minWidth: 0,
              opacity: companyIn,
              transform: `translateX(${settle((1 - companyIn) * -12, 2)}px)`,
              textShadow,
            }}
          >
            <bdi>{company}</bdi>
          </div>
        </div>
        <div style={{ flex: 'none' }}>
          <PlanBadge plan={plan} accent={accentRgb} size={L.badge} progress={badgeIn} />
        </div>
      </div>

      {/* Headline and details, anchored to the bottom */}
      <div
        style={{
          position: 'absolute',
          left: L.pad,
          right: L.pad,
          bottom: L.bottom,
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'flex-start',
          textShadow,
        }}
      >
        <div style={{ width: L.bar, height: Math.max(3, L.bar / 14), borderRadius: 4, background: rgba(accentOnDark, 1), transform: `scaleX(${barIn})`, transformOrigin: 'left center', marginBottom: L.gap }} />
        <div style={{ fontSize: L.welcome, fontWeight: 400, lineHeight: 1.15, color: 'rgba(255,255,255,0.86)', letterSpacing: '-0.01em' }}>
          <RevealWord progress={welcomeIn}>Welcome,</RevealWord>
        </div>
        <div style={{ fontSize: fitted.fontSize, fontWeight: 700, lineHeight: 1.08, letterSpacing: '-0.02em', marginTop: L.gap * 0.3, maxWidth: L.nameWidth }}>
          {fitted.lines.map((line, li) => {
            const last = li === fitted.lines.length - 1;
            return (
              <div
                key={li}
                dir={rtl ? 'rtl' : 'ltr'}
                style={{
                  whiteSpace: 'nowrap',
                  textAlign: 'left',
                  ...(fitted.overflow && last ? { overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: L.nameWidth } : {}),
                }}
              >
                {fitted.overflow && last ? (
                  <RevealWord progress={enter(wordStart + wordStagger * wordIndex++, 0.8)}>{joinPieces(line)}</RevealWord>
                ) : (
                  line.map((piece, pi) => {
                    const progress = enter(wordStart + wordStagger * wordIndex++, 0.8);
                    const previous = line[pi - 1];
                    const space = pi > 0 && previous !== undefined && !previous.endsWith('-') ? ' ' : '';
                    return (
                      <span key={pi}>
                        {space}
                        <RevealWord progress={progress}>{piece}</RevealWord>
                      </span>
                    );
                  })
                )}
              </div>
            );
          })}
        </div>
        <div
          style={{
            fontSize: L.sub,
            lineHeight: 1.35,
            color: 'rgba(255,255,255,0.84)',
            maxWidth: L.subWidth,
            marginTop: L.gap * 0.8,
            display: '-webkit-box',
            WebkitLineClamp: 2,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
            opacity: subIn,
            transform: `translateY(${settle((1 - subIn) * 14, 2)}px)`,
          }}
        >
          Your workspace at <bdi style={{ fontWeight: 700, color: '#ffffff' }}>{company}</bdi> is ready.
        </div>
        <div
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            alignItems: 'center',
            columnGap: L.meta * 1.6,
            rowGap: L.meta * 0.6,
            marginTop: L.gap * 0.9,
            fontSize: L.meta,
            color: 'rgba(255,255,255,0.8)',
            opacity: metaIn,
            transform: `translateY(${settle((1 - metaIn) * 12, 2)}px)`,
            maxWidth: L.subWidth,
          }}
        >
          <div style={{ display: 'flex', alignItems: 'center', gap: L.meta * 0.45, minWidth: 0 }}>
            <PinIcon size={L.meta * 1.15} color={iconColor} />
            <bdi style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{city}</bdi>
          </div>
          {startLine ? (
            <div style={{ display: 'flex', alignItems: 'center', gap: L.meta * 0.45 }}>
              <CalendarIcon size={L.meta * 1.1} color={iconColor} />
              <span style={{ whiteSpace: 'nowrap' }}>
                Starts <span style={{ color: '#ffffff', fontWeight: 700 }}>{startLine}</span>
              </span>
            </div>
          ) : null}
        </div>

        {/* Call to action */}
        <div
          style={{
            display: 'flex',
            flexDirection: L.kind === 'vertical' ? 'column' : 'row',
            alignItems: L.kind === 'vertical' ? 'flex-start' : 'center',
            gap: L.kind === 'vertical' ? L.gap * 0.7 : L.gap,
            marginTop: L.gap * 1.5,
            width: '100%',
          }}
        >
          <div
            style={{
              position: 'relative',
              overflow: 'hidden',
              display: 'flex',
              alignItems: 'center',
              gap: L.cta * 0.6,
              height: L.cta * 2.6,
              padding: `0 ${L.cta * 0.5}px 0 ${L.cta * 1.2}px`,
              borderRadius: L.cta * 1.3,
              background: rgba(accentRgb, 1),
              color: ctaInk,
              fontSize: L.cta,
              fontWeight: 700,
              letterSpacing: '-0.005em',
              whiteSpace: 'nowrap',
              textShadow: 'none',
              boxShadow: `0 14px 40px ${rgba(accentRgb, 0.5)}, inset 0 0 0 1px rgba(255,255,255,0.22)`,
              transform: `scale(${settle(0.6 + 0.4 * ctaPop)})`,
              transformOrigin: 'left center',
              opacity: ctaOpacity,
              flex: 'none',
            }}
          >
            <span>{ctaText}</span>
            <span
              style={{
                width: L.cta * 1.7,
                height: L.cta * 1.7,
                borderRadius: '50%',
                background: ctaInk === '#ffffff' ? 'rgba(255,255,255,0.2)' : 'rgba(0,0,0,0.12)',
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
                flex: 'none',
              }}
            >
              <span style={{ display: 'inline-block', transform: `translateX(${settle((1 - arrowIn) * -L.cta * 0.6, 2)}px)`, opacity: arrowIn }}>→</span>
            </span>
            {shine > 0 && shine < 1 ? (
              <span
                style={{
                  position: 'absolute',
                  top: 0,
                  bottom: 0,
                  left: 0,
                  width: '45%',
                  background: 'linear-gradient(100deg, rgba(255,255,255,0) 0%, rgba(255,255,255,0.42) 50%, rgba(255,255,255,0) 100%)',
                  transform: `translateX(${settle(-110 + shine * 340, 2)}%)`,
                }}
              />
            ) : null}
          </div>
          {email ? (
            <div
              style={{
                fontSize: L.email,
                color: 'rgba(255,255,255,0.72)',
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                minWidth: 0,
                maxWidth: L.kind === 'vertical' ? '100%' : undefined,
                flex: L.kind === 'vertical' ? undefined : '1 1 auto',
                opacity: emailIn,
                transform: `translateX(${settle((1 - emailIn) * -10, 2)}px)`,
              }}
            >
              Invite sent to <span style={{ color: '#ffffff' }}>{email}</span>
            </div>
          ) : null}
        </div>
      </div>

      {/* Progress line */}
      <div
        style={{
          position: 'absolute',
          left: L.pad,
          right: L.pad,
          bottom: L.kind === 'vertical' ? 48 : L.pad * 0.45,
          height: 3,
          borderRadius: 2,
          background: 'rgba(255,255,255,0.14)',
          overflow: 'hidden',
        }}
      >
        <div
          style={{
            width: '100%',
            height: '100%',
            background: `linear-gradient(90deg, ${rgba(accentOnDark, 0.7)} 0%, ${rgba(mix(accentOnDark, WHITE, 0.35), 1)} 100%)`,
            transform: `scaleX(${settle(progress, 4)})`,
            transformOrigin: 'left center',
          }}
        />
      </div>
    </AbsoluteFill>
  );
}

export default defineTemplate({
  id: 'welcome',
  version: '1.0.0',
  description: 'Personalized welcome: city B-roll, logo, "Welcome, {name}", plan and start date, then a call to action.',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 8,
  variants: {
    landscape: { width: 1280, height: 720 },
    vertical: { width: 720, height: 1280 },
    square: { width: 1080, height: 1080 },
  },
  // Files named after the person (sanitized; a name two rows share gets -2): outputs/welcome/Ada Lovelace-landscape.mp4.
  outputName: '{{name}}-{{variant}}',
  slots,
  component: Welcome,
});
