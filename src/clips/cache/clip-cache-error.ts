import { ReelwrightError } from '../../errors/index.js';

/** The clip cache refused an operation. Codes: `RW_CACHE_UNKNOWN_CLIP`, `RW_CACHE_BAD_FILE`, `RW_CACHE_CLOSED`. */
export class ClipCacheError extends ReelwrightError {}
