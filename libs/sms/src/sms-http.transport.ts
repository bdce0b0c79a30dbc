import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import type { Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  AddressPolicyRefusal,
  createPolicyLookup,
  hostOf,
  isAddressAllowed,
  SmsAddressRefusedError,
  type SmsAddressPolicy,
} from './address-policy.lookup.js';
import { ClientAgentCache } from './client-agent.cache.js';
import {
  createHttpsAgent,
  trustedCertificateAuthorities,
} from './https-agent.factory.js';
import type {
  SmsHttpRequest,
  SmsHttpResponse,
} from './sms-provider.interface.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import {
  DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
  DEFAULT_SMS_MAX_RESPONSE_BYTES,
  DEFAULT_SMS_TIMEOUT_MS,
} from './sms.constants.js';
import { SmsError } from './sms.errors.js';
import { SmsTransportError } from './sms-transport.error.js';
import {
  classifyTransportFailure,
  ExchangeProgress,
} from './transport-failure.classifier.js';

// Values shorter than this (e.g. `1`) are not secrets and would blank out ordinary words.
const MIN_SCRUBBED_LENGTH = 4;

/** Options of one {@link SmsHttpTransport.send}. */
export interface SmsHttpSendOptions {
  /**
   * The most time the exchange may take, in milliseconds: what is left of a send's budget.
   * @default the module's `timeoutMs`
   */
  timeoutMs?: number;
  /**
   * Connect only to addresses the module's `environmentAddressPolicy` allows: for settings that
   * came from an environment. Without a policy it changes nothing.
   * @default false
   */
  restrictAddresses?: boolean;
}

/**
 * Carries one request to a provider over HTTPS and reads its answer, within a timeout and a size
 * limit. Connections are kept alive and reused: one shared agent for requests without a client
 * certificate, one cached agent per client certificate. Requests restricted by the environment
 * address policy get agents of their own, whose connections go only to addresses the policy
 * checked. Only network-level failures throw; every HTTP status but a redirect comes back as a
 * response.
 */
@Injectable()
export class SmsHttpTransport implements OnModuleDestroy {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly sharedAgent: Agent;
  /** The environment address policy and the agent whose connections it checks. */
  private readonly restriction?: { policy: SmsAddressPolicy; agent: Agent };
  private readonly clientAgents: ClientAgentCache;

  constructor(@Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.maxResponseBytes =
      options.maxResponseBytes ?? DEFAULT_SMS_MAX_RESPONSE_BYTES;
    const ca = trustedCertificateAuthorities(options.extraCaCertificates);
    const policy = options.environmentAddressPolicy;
    const lookup = policy && createPolicyLookup(policy);
    this.sharedAgent = createHttpsAgent({ ca });
    this.restriction = policy && {
      policy,
      agent: createHttpsAgent({ ca, lookup }),
    };
    this.clientAgents = new ClientAgentCache(
      options.clientAgentCacheSize ?? DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
      (clientCertificate, restricted) =>
        createHttpsAgent({
          ca,
          clientCertificate,
          lookup: restricted ? lookup : undefined,
        }),
    );
  }

  /** The number of client-certificate agents currently cached. */
  get clientAgentCount(): number {
    return this.clientAgents.size;
  }

  /**
   * Sends one request and reads the whole answer as UTF-8 text.
   *
   * @throws SmsTransportError when the exchange fails: the provider could not be reached, the TLS
   * handshake failed, the timeout ran out, the connection broke, the answer was too large or was
   * a redirect. Its `maybeSent` says whether the request may have reached the provider.
   * @throws SmsAddressRefusedError (an `SmsTransportError` of kind `connect`) when the request is
   * restricted and its host is or resolves to an address the policy refuses
   */
  async send(
    request: SmsHttpRequest,
    options: SmsHttpSendOptions = {},
  ): Promise<SmsHttpResponse> {
    const target = httpsTarget(request.url);
    const restriction =
      options.restrictAddresses === true ? this.restriction : undefined;
    if (restriction) assertLiteralAllowed(target, restriction.policy);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const lease = this.leaseAgent(request, target, restriction?.agent);
    const progress = new ExchangeProgress();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const { outgoing, answered } = exchange(
        target,
        request,
        lease.agent,
        progress,
      );
      // Destroying the request ends its connection, and with it an answer still being read.
      timer = setTimeout(() => {
        timedOut = true;
        outgoing.destroy(new Error(`No answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      const response = await answered;
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.destroy();
        throw new SmsTransportError(
          'redirect',
          false,
          `${target.host} answered HTTP ${status}, a redirect, which is not followed.`,
          status,
        );
      }
      const body = await readAtMost(response, this.maxResponseBytes);
      if (body === undefined) {
        throw new SmsTransportError(
          'too-large',
          // A refusal (4xx) certainly did not send; any other answer may stand for a sent message.
          status < 400 || status >= 500,
          `The answer of ${target.host} (HTTP ${status}) is larger than ${this.maxResponseBytes} bytes and was not read.`,
          status,
        );
      }
      return {
        status,
        headers: response.headers,
        body: body.toString('utf8'),
      };
    } catch (error) {
      if (error instanceof SmsTransportError) throw error;
      if (error instanceof AddressPolicyRefusal) {
        throw new SmsAddressRefusedError(target.hostname);
      }
      throw this.failure(error, progress, timedOut, target, request, timeoutMs);
    } finally {
      clearTimeout(timer);
      lease.release();
    }
  }

  /** Closes every connection and agent. */
  onModuleDestroy(): void {
    this.clientAgents.clear();
    this.sharedAgent.destroy();
    this.restriction?.agent.destroy();
  }

  /** The agent of a request: `restrictedAgent` when the address policy applies to it. */
  private leaseAgent(
    request: SmsHttpRequest,
    target: URL,
    restrictedAgent: Agent | undefined,
  ): { agent: Agent; release(): void } {
    if (!request.clientCertificate) {
      const agent = restrictedAgent ?? this.sharedAgent;
      return { agent, release: () => undefined };
    }
    try {
      return this.clientAgents.acquire(
        request.clientCertificate,
        restrictedAgent !== undefined,
      );
    } catch (error) {
      if (!(error instanceof SmsError)) throw error;
      throw new SmsTransportError(
        'tls',
        false,
        `${error.message} No request was sent to ${target.host}.`,
      );
    }
  }

  private failure(
    error: unknown,
    progress: ExchangeProgress,
    timedOut: boolean,
    target: URL,
    request: SmsHttpRequest,
    timeoutMs: number,
  ): SmsTransportError {
    const low = lowLevelError(error);
    const { kind, maybeSent, code } = classifyTransportFailure(
      progress,
      low,
      timedOut,
      request.clientCertificate !== undefined,
    );
    const outcome = maybeSent
      ? 'the request may have reached the provider'
      : 'the request did not reach the provider';
    const detail = scrub(
      `${code ?? 'error'}: ${low.message || 'no details'}`,
      request,
      target,
    );
    const messages: Record<typeof kind, string> = {
      dns: `The host ${target.hostname} could not be resolved (${detail}); ${outcome}.`,
      connect: `No connection to ${target.host} could be made (${detail}); ${outcome}.`,
      tls: `The TLS handshake with ${target.host} failed (${detail}); ${outcome}.`,
      timeout: `${target.host} did not complete the exchange within ${timeoutMs} ms; ${outcome}.`,
      reset: `The connection to ${target.host} broke before the answer was complete (${detail}); ${outcome}.`,
    };
    // No cause is attached: some Node errors quote a header's value; the scrubbed code and reason
    // above say what happened.
    return new SmsTransportError(kind, maybeSent, messages[kind]);
  }
}

/**
 * Writes the request on the agent's connection; `answered` settles with the status line and headers
 * of the answer. Plain `https.request`: no proxy from the environment, no redirect followed, and
 * only the headers the provider strategy built, with the body's length and the host.
 */
function exchange(
  target: URL,
  request: SmsHttpRequest,
  agent: Agent,
  progress: ExchangeProgress,
): { outgoing: ClientRequest; answered: Promise<IncomingMessage> } {
  const body =
    request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  // Headers as a flat list of names and values: Node writes them as given, after the same checks,
  // without the per-header bookkeeping of an object (a tenth of the library's time per send).
  const headers: string[] = [];
  let hasHost = false;
  for (const [name, value] of Object.entries(request.headers)) {
    const lowerName = name.toLowerCase();
    hasHost ||= lowerName === 'host';
    if (body && lowerName === 'content-length') continue;
    headers.push(name, value);
  }
  if (body) headers.push('Content-Length', String(body.length));
  if (!hasHost) headers.push('Host', target.host);
  const outgoing = httpsRequest({
    // The URL keeps an IPv6 literal in brackets; a connection needs the bare address.
    host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    path: `${target.pathname}${target.search}`,
    method: request.method,
    headers,
    agent,
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.on('error', reject);
  });
  progress.watch(outgoing);
  outgoing.end(body);
  return { outgoing, answered };
}

/** Parses the URL and refuses anything but https. */
function httpsTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SmsTransportError(
      'connect',
      false,
      'The provider URL is not a valid absolute URL; no request was sent.',
    );
  }
  if (target.protocol !== 'https:') {
    throw new SmsTransportError(
      'connect',
      false,
      `The provider URL must use https: (it uses ${target.protocol}); no request was sent.`,
    );
  }
  return target;
}

/** Node connects to an IP literal without any lookup, so the policy is applied to it here. */
function assertLiteralAllowed(target: URL, policy: SmsAddressPolicy): void {
  const { host, literal } = hostOf(target);
  if (literal && !isAddressAllowed(policy, host)) {
    throw new SmsAddressRefusedError(target.hostname);
  }
}

/** Reads the stream to its end, or undefined as soon as it holds more than `limit` bytes. */
function readAtMost(
  stream: Readable,
  limit: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Destroying the answer destroys its connection, so the rest is never read.
      stream.destroy();
      resolve(undefined);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, size)));
    stream.once('error', reject);
    stream.once('close', () =>
      reject(
        Object.assign(new Error('The answer ended before it was complete.'), {
          code: 'ERR_STREAM_PREMATURE_CLOSE',
        }),
      ),
    );
  });
}

interface LowLevelError {
  code?: string;
  syscall?: string;
  message: string;
}

/** The code, system call and readable reason of a system or TLS error. */
function lowLevelError(error: unknown): LowLevelError {
  const details = (error ?? {}) as NodeJS.ErrnoException & { reason?: unknown };
  return {
    code: typeof details.code === 'string' ? details.code : undefined,
    syscall: typeof details.syscall === 'string' ? details.syscall : undefined,
    message: readableReason(details.reason, error),
  };
}

// `error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:file.c:1601:...`
const OPENSSL_ERROR = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/** OpenSSL's short reason rather than its message with source file names, on one line. */
function readableReason(reason: unknown, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const text =
    typeof reason === 'string'
      ? reason
      : (OPENSSL_ERROR.exec(message)?.[1] ?? message);
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes header values and the query string from a low-level message, whatever it echoes. */
function scrub(text: string, request: SmsHttpRequest, target: URL): string {
  const values = [...Object.values(request.headers), target.search, target.href]
    .filter((value) => value.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const value of values) result = result.split(value).join('[redacted]');
  return result;
}
