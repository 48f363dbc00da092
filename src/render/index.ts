/**
 * @module render
 * Owns turning a template and one row into an MP4: bundling the template for the browser, the loopback file server,
 * the headless Chromium session (deterministic `beginFrame` capture), and the per-video frame loop that streams
 * JPEG frames into the encoder. Never talks to AI providers (it receives local clip files), never reads datasets,
 * and never writes the journal.
 */
export {
  BrowserSession,
  BASE_BROWSER_FLAGS,
  TEXT_RENDERING_FLAGS,
  DEFAULT_CHROMIUM_PATH,
  DEFAULT_LAUNCH_TIMEOUT_MS,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_JPEG_QUALITY,
} from './browser-session.js';
export type {
  BrowserSessionOptions,
  BrowserSessionState,
  BrowserMemoryUsage,
  CaptureMethod,
  CaptureOptions,
  EvaluateOptions,
  NavigateOptions,
  PageCallOptions,
  SetViewportOptions,
} from './browser-session.js';
export { serveFiles } from './serve-files.js';
export type { FileServer, ResolvedUrl, ServeFilesOptions } from './serve-files.js';
export { sendFile } from './send-file.js';
export type { SendFileOptions } from './send-file.js';
export { contentTypeOf } from './content-type-of.js';
export type { ContentTypeOfOptions } from './content-type-of.js';
export { resolveConfinedPath } from './resolve-confined-path.js';
export type { ResolveConfinedPathOptions } from './resolve-confined-path.js';
export { isInside } from './is-inside.js';
export { bundleTemplate, BUNDLE_TARGET } from './bundle-template.js';
export type { BundleTemplateOptions, BundleTemplateResult, BundleMode } from './bundle-template.js';
export { computeDuration } from './compute-duration.js';
export type { ComputeDurationOptions, ComputeDurationResult } from './compute-duration.js';
export { renderVideo, DEFAULT_FRAME_TIMEOUT_MS } from './render-video.js';
export type {
  RenderVideoOptions,
  RenderVideoResult,
  RenderVideoProgress,
  RenderVideoStage,
  OnRenderVideoProgress,
  RenderVideoAudio,
} from './render-video.js';
export { planAudioMix } from './plan-audio-mix.js';
export type { PlanAudioMixOptions, AudioFrame, AudioSource } from './plan-audio-mix.js';
export { resolveAudioSource } from './resolve-audio-source.js';
export type { ResolveAudioSourceOptions } from './resolve-audio-source.js';
export { PAGE_API_GLOBAL } from './page/page-api.js';
export type { PageApi, PageInit, FrameResult, ClipFrameSet, AudioFrameEntry } from './page/page-api.js';
