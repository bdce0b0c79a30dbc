const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a delivery report base URL cannot be used, or undefined when it can: it must be an absolute
 * https URL (http only for a loopback host), without query or fragment.
 */
export function deliveryReportUrlProblem(value: unknown): string | undefined {
  const usage =
    'must be the https URL at which providers reach the service (http only for localhost), without query or fragment';
  if (typeof value !== 'string' || value.trim() === '') return usage;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return usage;
  }
  const loopbackHttp =
    url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) return usage;
  if (url.search !== '' || url.hash !== '' || url.username !== '') return usage;
  return undefined;
}

/** `{base}/delivery-reports/{id}/{token}`, with one slash between the base and the path. */
export function deliveryReportUrl(
  base: string,
  id: string,
  token: string,
): string {
  return `${base.replace(/\/+$/, '')}/delivery-reports/${encodeURIComponent(id)}/${token}`;
}
