import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { SandboxBodyTooLargeError } from '../server/sandbox-body.error.js';
import { textReply, writeReply } from '../server/sandbox-reply.js';
import { readRequestBody } from '../server/sandbox-request.reader.js';
import { splitEnvironmentPath } from './sandbox-environment.path.js';
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
  const target = request.url ?? '';
  const method = request.method ?? '';
  // Concatenating (not resolving) keeps a target such as `//host/path` on this origin.
  const url = target.startsWith('/') ? URL.parse(origin + target) : null;
  if (!url)
    return writeReply(
      response,
      textReply(400, 'The request target must be a path.'),
    );
  // Routes see the endpoint's own path; the environment in front of it only labels the message.
  const { environment, pathname } = splitEnvironmentPath(url.pathname);
  url.pathname = pathname;

  const matched = routes.find((candidate) => candidate.matches(url.pathname));
  if (!matched || (environment && !matched.takesEnvironment)) {
    return writeReply(
      response,
      textReply(
        404,
        `Nothing at ${(environment?.prefix ?? '') + url.pathname}`,
      ),
    );
  }
  if (!matched.methods.includes(method)) {
    return writeReply(
      response,
      textReply(405, `${method} is not allowed here.`, {
        allow: matched.methods.join(', '),
      }),
    );
  }
  let body: Buffer;
  try {
    body = await readRequestBody(request, maxBodyBytes);
  } catch (error) {
    if (!(error instanceof SandboxBodyTooLargeError)) throw error;
    // Node discards the rest of the body: the client reads this answer and keeps its connection.
    return writeReply(response, textReply(413, error.message));
  }
  const reply = matched.handle(
    {
      method,
      url,
      headers: request.headers,
      body,
      environment,
      clientCertificateAuthorized:
        (request.socket as TLSSocket).authorized === true,
      origin,
    },
    response,
  );
  if (reply) writeReply(response, reply);
}
