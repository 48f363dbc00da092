import { createHash } from 'node:crypto';
import { decodeFrames, type DecodeFramesOptions } from './decode-frames.js';

/** Options for `hashFrames`: the same as `decodeFrames`. */
export type HashFramesOptions = DecodeFramesOptions;

/**
 * Decodes a video (see `decodeFrames`) and returns the sha256 (hex) of each raw rgb24 frame,
 * for tests that compare renders frame by frame without holding pixels around.
 *
 * @example
 * expect(await hashFrames({ file: 'a.mp4' })).toEqual(await hashFrames({ file: 'b.mp4' }));
 */
export async function hashFrames(options: HashFramesOptions): Promise<string[]> {
  const frames = await decodeFrames(options);
  return frames.map((frame) => createHash('sha256').update(frame).digest('hex'));
}
