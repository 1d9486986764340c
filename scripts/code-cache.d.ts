// Types for scripts/code-cache.js (plain JavaScript: it is copied into dist/ and runs as is).
export interface CacheDirOptions {
  bin: string
  dirname: string
  env?: Record<string, string | undefined>
  platform?: string
  home?: string
}
export function cacheDir(options: CacheDirOptions): string
export function loadCommonJS(
  file: string,
  options: {cacheDir?: string; hash: string; importer: (specifier: string) => Promise<unknown>},
): Record<string, unknown>
