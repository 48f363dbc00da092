/**
 * @module errors
 * The error classes every stage throws. Owns codes and the plain-JSON error record;
 * never decides how an error is displayed (that is the CLI's and the report's job).
 */
export {
  ReelwrightError,
  DatasetError,
  TemplateError,
  ProviderError,
  RenderError,
  EncodeError,
  ConfigError,
  CancelledError,
  throwIfAborted,
  assertNever,
  toErrorRecord,
} from './reelwright-error.js';
export type { ErrorCode, ReelwrightErrorOptions, ErrorRecord } from './reelwright-error.js';
