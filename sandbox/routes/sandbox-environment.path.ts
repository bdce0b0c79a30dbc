/**
 * The environment a request names in front of an endpoint's path, as in
 * `/env/tenant-a/gatewayapi/rest/mtsms`. It goes in the sandbox endpoint's API URL in that
 * environment's settings, so it only ever reaches the sandbox, never a real provider.
 */
export interface SandboxEnvironment {
  /** The environment's name, decoded. */
  name: string;
  /** The prefix as it was received, e.g. `/env/tenant-a`. */
  prefix: string;
}

// The name is one path segment; something must follow it, the endpoint's own path.
const ENVIRONMENT_PATH = /^(\/env\/([^/]+))(\/.*)$/;

/**
 * Splits a request path into the environment it names and the endpoint's own path.
 *
 * @returns `environment` null and the path unchanged when it names none.
 */
export function splitEnvironmentPath(pathname: string): {
  environment: SandboxEnvironment | null;
  pathname: string;
} {
  const match = ENVIRONMENT_PATH.exec(pathname);
  if (!match) return { environment: null, pathname };
  return {
    environment: { name: decodeSegment(match[2]), prefix: match[1] },
    pathname: match[3],
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
