/** The URL with `path` as its path when it has none (`https://host` or `https://host/`), else as given. */
export function withDefaultPath(apiUrl: string, path: string): string {
  const url = new URL(apiUrl);
  if (url.pathname !== '/') return apiUrl;
  url.pathname = path;
  return url.href;
}
