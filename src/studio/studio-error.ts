import { ReelwrightError } from '../errors/index.js';
import type { ReelwrightErrorOptions } from '../errors/index.js';

/** Options of `StudioError`: a code plus the HTTP status the API answers with. */
export type StudioErrorOptions = ReelwrightErrorOptions & {
  /** HTTP status: 400 bad request, 403 outside the project, 404 not found, 409 conflict, 501 not available. */
  status: number;
};

/**
 * A studio request that cannot be served (a path outside the project, an unknown variant, a feature that is
 * not wired). The API answers with `status` and `{ error: { code, message } }`.
 */
export class StudioError extends ReelwrightError {
  /** HTTP status of the answer. */
  readonly status: number;
  constructor(message: string, options: StudioErrorOptions) {
    super(message, options);
    this.status = options.status;
  }
}
