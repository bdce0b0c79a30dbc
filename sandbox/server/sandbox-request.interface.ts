import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxEnvironment } from '../routes/sandbox-environment.path.js';

/** One request to the sandbox, its body already read within the size limit. */
export interface SandboxRequest {
  method: string;
  /** The request target resolved against the sandbox's own origin, without the environment prefix. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The environment named by an `/env/<name>` prefix of the path, or null. */
  environment: SandboxEnvironment | null;
  /** True when the client presented a certificate issued by the sandbox CA. */
  clientCertificateAuthorized: boolean;
  /** The origin the sandbox gives out, e.g. `https://localhost:8443`. */
  origin: string;
}

/** The answer to one request. */
export interface SandboxReply {
  status: number;
  headers?: Record<string, string>;
  /** A string goes out as it is; anything else as JSON. */
  body?: unknown;
}

/** Reads one header as a single string (repeated headers are joined by Node with `, `). */
export function headerOf(
  request: SandboxRequest,
  name: string,
): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
