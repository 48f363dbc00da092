/**
 * Types of the files a template may import as assets (`import music from './music.m4a'`): each import is the
 * file's URL, relative to the page. The list matches the esbuild `file` loaders of `bundleTemplate` and `loadTemplate`.
 */
declare module '*.png' { const url: string; export default url; }
declare module '*.jpg' { const url: string; export default url; }
declare module '*.jpeg' { const url: string; export default url; }
declare module '*.webp' { const url: string; export default url; }
declare module '*.gif' { const url: string; export default url; }
declare module '*.svg' { const url: string; export default url; }
declare module '*.avif' { const url: string; export default url; }
declare module '*.mp4' { const url: string; export default url; }
declare module '*.webm' { const url: string; export default url; }
declare module '*.mov' { const url: string; export default url; }
declare module '*.woff2' { const url: string; export default url; }
declare module '*.woff' { const url: string; export default url; }
declare module '*.ttf' { const url: string; export default url; }
declare module '*.otf' { const url: string; export default url; }
declare module '*.wav' { const url: string; export default url; }
declare module '*.mp3' { const url: string; export default url; }
declare module '*.m4a' { const url: string; export default url; }
declare module '*.aac' { const url: string; export default url; }
declare module '*.ogg' { const url: string; export default url; }
declare module '*.opus' { const url: string; export default url; }
declare module '*.flac' { const url: string; export default url; }
