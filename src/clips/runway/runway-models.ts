/**
 * What each Runway model accepts, from `@runwayml/sdk` 4.20.1 request types
 * (`TextToVideoCreateParams`, `ImageToVideoCreateParams`) and PROVIDERS.md.
 */
export type RunwayModelSpec = {
  /** Accepts `POST /v1/text_to_video`. */
  textToVideo: boolean;
  /** Accepts `POST /v1/image_to_video`. */
  imageToVideo: boolean;
  /** Allowed `duration` values in seconds. */
  durations: readonly number[];
  /** Allowed `ratio` values for text→video. */
  textRatios: readonly string[];
  /** Allowed `ratio` values for image→video. */
  imageRatios: readonly string[];
  /** Resolutions a request may name (`null` = the model's default, 720p). */
  resolutions: readonly string[];
  /** Request params the model understands (`audio` for Veo). */
  params: readonly string[];
};

const TWO_TO_TEN = [2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const VEO_RATIOS = ['1280:720', '720:1280', '1080:1920', '1920:1080'] as const;

/** Models this adapter supports. */
export const RUNWAY_MODELS: Readonly<Record<string, RunwayModelSpec>> = {
  'gen4.5': {
    textToVideo: true,
    imageToVideo: true,
    durations: TWO_TO_TEN,
    textRatios: ['1280:720', '720:1280'],
    imageRatios: ['1280:720', '720:1280', '1104:832', '960:960', '832:1104', '1584:672'],
    resolutions: ['720p'],
    params: [],
  },
  gen4_turbo: {
    textToVideo: false,
    imageToVideo: true,
    durations: TWO_TO_TEN,
    textRatios: [],
    imageRatios: ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'],
    resolutions: ['720p'],
    params: [],
  },
  'veo3.1': {
    textToVideo: true,
    imageToVideo: true,
    durations: [4, 6, 8],
    textRatios: VEO_RATIOS,
    imageRatios: VEO_RATIOS,
    resolutions: ['720p', '1080p'],
    params: ['audio'],
  },
  'veo3.1_fast': {
    textToVideo: true,
    imageToVideo: true,
    durations: [4, 6, 8],
    textRatios: VEO_RATIOS,
    imageRatios: VEO_RATIOS,
    resolutions: ['720p', '1080p'],
    params: ['audio'],
  },
};

/**
 * Runway's limit for an image sent inline as a data URI (`promptImage: "data:image/png;base64,…"`): 5 MB
 * (docs.dev.runwayml.com "API Input Parameters": image data URIs 5 MB, image URLs 16 MB). Read conservatively:
 * 5,000,000 characters for the whole data URI, base64 included, so an image of about 3.7 MB or less fits.
 */
export const RUNWAY_DATA_URI_MAX_BYTES = 5_000_000;

/** Image types Runway takes as a first frame (the data URI's media type). */
export const RUNWAY_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** Runway's `promptText` limit (UTF-16 code units). */
export const RUNWAY_PROMPT_MAX = 1000;

/** The `ratio` for a clip aspect at a resolution (`null` = 720p). */
export function runwayRatio(aspect: '16:9' | '9:16' | '1:1', resolution: string | null): string {
  const big = resolution === '1080p';
  if (aspect === '16:9') return big ? '1920:1080' : '1280:720';
  if (aspect === '9:16') return big ? '1080:1920' : '720:1280';
  return '960:960';
}
