import { runFfmpeg } from './run-ffmpeg.js';

/** The facts reelwright needs about a media file. */
export type MediaInfo = {
  /** Container duration in seconds. */
  durationSeconds: number;
  /** First video stream, or null for audio-only/image files without one. */
  video: {
    codec: string;
    width: number;
    height: number;
    fps: number;
    /** Frame count from the stream header, or null when the container does not say. */
    frameCount: number | null;
    pixelFormat: string;
  } | null;
  /** Whether the file has an audio stream. */
  hasAudio: boolean;
  /** First audio stream, or null when there is none. */
  audio: {
    codec: string;
    sampleRate: number;
    channels: number;
    /** Stream duration in seconds, or null when the container does not say. */
    durationSeconds: number | null;
  } | null;
  /** Container-level tags (e.g. `comment`, `title`). */
  tags: Readonly<Record<string, string>>;
};

/** Options for `probeMedia`. */
export type ProbeMediaOptions = { file: string; signal?: AbortSignal | null };

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den) return 0;
  return num / den;
}

/** Reads duration, size, fps, codec and tags of a media file with ffprobe. */
export async function probeMedia(options: ProbeMediaOptions): Promise<MediaInfo> {
  const { stdout } = await runFfmpeg({
    binary: 'ffprobe',
    args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', options.file],
    signal: options.signal ?? null,
  });
  const parsed = JSON.parse(stdout.toString('utf8')) as {
    format?: { duration?: string; tags?: Record<string, string> };
    streams?: {
      codec_type?: string;
      codec_name?: string;
      width?: number;
      height?: number;
      avg_frame_rate?: string;
      r_frame_rate?: string;
      nb_frames?: string;
      pix_fmt?: string;
      sample_rate?: string;
      channels?: number;
      duration?: string;
    }[];
  };
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSeconds: Number(parsed.format?.duration ?? 0),
    video: video
      ? {
          codec: video.codec_name ?? 'unknown',
          width: video.width ?? 0,
          height: video.height ?? 0,
          fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
          frameCount: video.nb_frames ? Number(video.nb_frames) : null,
          pixelFormat: video.pix_fmt ?? 'unknown',
        }
      : null,
    hasAudio: audio !== undefined,
    audio: audio
      ? {
          codec: audio.codec_name ?? 'unknown',
          sampleRate: Number(audio.sample_rate ?? 0),
          channels: audio.channels ?? 0,
          durationSeconds: audio.duration !== undefined && Number.isFinite(Number(audio.duration)) ? Number(audio.duration) : null,
        }
      : null,
    tags: parsed.format?.tags ?? {},
  };
}
