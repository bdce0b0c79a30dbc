import type { ResolvedSmsSettings } from './sms-settings.resolver.js';

/** The API URL without its query string or fragment: query parameters are never logged. */
export function urlForLog(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '[invalid url]';
  }
}

/** `source=site` or `source=environment:<name>`, as log lines name the settings in use. */
export function sourceForLog(resolved: ResolvedSmsSettings): string {
  return resolved.source === 'environment'
    ? `source=environment:${resolved.environment}`
    : 'source=site';
}
