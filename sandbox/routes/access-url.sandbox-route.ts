import {
  SandboxFieldError,
  readOrFieldError,
} from '../server/sandbox-body.error.js';
import {
  SANDBOX_MAGIC_STATUS,
  magicFailureHeaders,
  magicFailureOf,
  type SandboxMagicFailure,
} from '../messages/sandbox-magic-number.js';
import { readRecipient } from '../messages/sandbox-recipient.js';
import { textReply } from '../server/sandbox-reply.js';
import type {
  SandboxReply,
  SandboxRequest,
} from '../server/sandbox-request.interface.js';
import type {
  SandboxRoute,
  SandboxRouteContext,
} from './sandbox-route.interface.js';
import { sameSecret } from './sandbox-secret.js';

/** The path of the Access URL endpoint. */
export const ACCESS_URL_PATH = '/access-url/send';

const RECIPIENT_PARAMETERS = ['recipient', 'to', 'phone'];

const FAILURE_TEXT: Record<SandboxMagicFailure, string> = {
  'server-error': 'ERROR internal error',
  unavailable: 'ERROR service temporarily unavailable',
  'rate-limited': 'ERROR too many requests',
};

/**
 * A generic HTTPS GET SMS endpoint: `username`, `password`, `recipient` (or `to`, `phone`),
 * `message` and an optional `from`; answers `OK <id>` as plain text.
 */
export function createAccessUrlRoute(
  context: SandboxRouteContext,
): SandboxRoute {
  return {
    methods: ['GET'],
    takesEnvironment: true,
    matches: (pathname) => pathname === ACCESS_URL_PATH,
    handle: (request) => send(request, context),
  };
}

function send(
  request: SandboxRequest,
  context: SandboxRouteContext,
): SandboxReply {
  const query = request.url.searchParams;
  const { accessUrlUsername, accessUrlPassword } = context.credentials;
  if (
    !sameSecret(query.get('username') ?? undefined, accessUrlUsername) ||
    !sameSecret(query.get('password') ?? undefined, accessUrlPassword)
  ) {
    return textReply(401, 'ERROR invalid username or password');
  }
  const draft = readOrFieldError(() => readQuery(query));
  if (draft instanceof SandboxFieldError)
    return textReply(400, `ERROR ${draft.message}`);
  const failure = magicFailureOf([draft.to], 'AccessUrl');
  if (failure) {
    return textReply(
      SANDBOX_MAGIC_STATUS[failure],
      FAILURE_TEXT[failure],
      magicFailureHeaders(failure),
    );
  }
  const id = context.nextNumericId();
  context.record({ id, provider: 'AccessUrl', ...draft }, request);
  return textReply(200, `OK ${id}`);
}

function readQuery(query: URLSearchParams): {
  to: string;
  from: string | null;
  text: string;
} {
  const name = RECIPIENT_PARAMETERS.find((parameter) =>
    query.get(parameter)?.trim(),
  );
  if (!name) {
    throw new SandboxFieldError(
      'recipient',
      'is required (as recipient, to or phone).',
    );
  }
  // An unencoded `+` arrives as a space; tolerate it as providers do.
  const phone = readRecipient(query.get(name)!.trim());
  if (!phone) {
    throw new SandboxFieldError(
      name,
      'must be a phone number in E.164 digits, with or without +.',
    );
  }
  const text = query.get('message');
  if (!text)
    throw new SandboxFieldError(
      'message',
      'is required and must not be empty.',
    );
  return { to: phone.e164, from: query.get('from') || null, text };
}
