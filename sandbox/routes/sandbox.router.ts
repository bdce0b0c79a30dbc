import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { SandboxBodyTooLargeError } from '../server/sandbox-body.error.js';
import { textReply, writeReply } from '../server/sandbox-reply.js';
import { readRequestBody } from '../server/sandbox-request.reader.js';
import type { SandboxReply } from '../server/sandbox-request.interface.js';
import {
  splitEnvironmentPath,
  type SandboxEnvironment,
} from './sandbox-environment.path.js';
import type { SandboxRoute } from './sandbox-route.interface.js';

/** How the router answers. */
export interface SandboxRouterOptions {
  routes: readonly SandboxRoute[];
  /** The origin the sandbox gives out, e.g. `https://localhost:8443`. */
  origin: string;
  /** Larger request bodies get 413. */
  maxBodyBytes: number;
}

/**
 * The request listener of the sandbox's HTTPS server: finds the route, reads the body within the
 * limit and writes the route's reply. Whatever a client sends, it answers and never throws.
 */
export function createSandboxRouter(
  options: SandboxRouterOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(request, response, options).catch(() => {
      if (!response.headersSent)
        writeReply(response, textReply(500, 'Sandbox error'));
      else response.destroy();
    });
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  { routes, origin, maxBodyBytes }: SandboxRouterOptions,
): Promise<void> {
  const target = readTarget(request, origin);
  if ('status' in target) return writeReply(response, target);
  const method = request.method ?? '';
  const matched = matchRoute(routes, method, target);
  if ('status' in matched) return writeReply(response, matched);
  const body = await readBodyWithinLimit(request, maxBodyBytes);
  if (!Buffer.isBuffer(body)) return writeReply(response, body);
  const reply = matched.handle(
    {
      method,
      url: target.url,
      headers: request.headers,
      body,
      environment: target.environment,
      clientCertificateAuthorized:
        (request.socket as TLSSocket).authorized === true,
      origin,
    },
    response,
  );
  if (reply) writeReply(response, reply);
}

/** Where a request goes: the endpoint's own path on this origin and the environment in front of it. */
interface SandboxTarget {
  /** The request URL with the endpoint's own path. */
  url: URL;
  environment: SandboxEnvironment | null;
}

/** The request's target, or 400 when it is not a path. */
function readTarget(
  request: IncomingMessage,
  origin: string,
): SandboxTarget | SandboxReply {
  const target = request.url ?? '';
  // Concatenating (not resolving) keeps a target such as `//host/path` on this origin.
  const url = target.startsWith('/') ? URL.parse(origin + target) : null;
  if (!url) return textReply(400, 'The request target must be a path.');
  // Routes see the endpoint's own path; the environment in front of it only labels the message.
  const { environment, pathname } = splitEnvironmentPath(url.pathname);
  url.pathname = pathname;
  return { url, environment };
}

/** The route for the target, or 404 when there is none and 405 when it does not take the method. */
function matchRoute(
  routes: readonly SandboxRoute[],
  method: string,
  { url, environment }: SandboxTarget,
): SandboxRoute | SandboxReply {
  const matched = routes.find((candidate) => candidate.matches(url.pathname));
  if (!matched || (environment && !matched.takesEnvironment)) {
    return textReply(
      404,
      `Nothing at ${(environment?.prefix ?? '') + url.pathname}`,
    );
  }
  if (!matched.methods.includes(method)) {
    return textReply(405, `${method} is not allowed here.`, {
      allow: matched.methods.join(', '),
    });
  }
  return matched;
}

/** The request body, or 413 when it is larger than the limit. */
async function readBodyWithinLimit(
  request: IncomingMessage,
  maxBodyBytes: number,
): Promise<Buffer | SandboxReply> {
  try {
    return await readRequestBody(request, maxBodyBytes);
  } catch (error) {
    if (!(error instanceof SandboxBodyTooLargeError)) throw error;
    // Node discards the rest of the body: the client reads this answer and keeps its connection.
    return textReply(413, error.message);
  }
}
