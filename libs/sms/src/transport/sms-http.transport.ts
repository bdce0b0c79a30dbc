import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Agent, Dispatcher } from 'undici';
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
} from '../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import {
  DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
  DEFAULT_SMS_MAX_RESPONSE_BYTES,
  DEFAULT_SMS_TIMEOUT_MS,
} from '../sms.constants.js';
import { SmsError } from '../errors/index.js';
import { SmsTransportError } from './sms-transport.error.js';
import { ProviderExchange } from './provider-exchange.handler.js';
import {
  classifyTransportFailure,
  type ExchangeProgress,
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
 * limit, on undici (Node's own HTTP client, the one behind `fetch`). Connections are kept alive and
 * reused: one shared agent for requests without a client certificate, one cached agent per client
 * certificate. Requests restricted by the environment address policy get agents of their own, whose
 * connections go only to addresses the policy checked. Only network-level failures throw; every
 * HTTP status but a redirect comes back as a response. No proxy from the environment is used and no
 * redirect is followed.
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
    const connectTimeoutMs = this.timeoutMs;
    this.sharedAgent = createHttpsAgent({ ca, connectTimeoutMs });
    this.restriction = policy && {
      policy,
      agent: createHttpsAgent({ ca, lookup, connectTimeoutMs }),
    };
    this.clientAgents = new ClientAgentCache(
      options.clientAgentCacheSize ?? DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
      (clientCertificate, restricted) =>
        createHttpsAgent({
          ca,
          clientCertificate,
          lookup: restricted ? lookup : undefined,
          connectTimeoutMs,
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
    const exchange = new ProviderExchange(this.maxResponseBytes);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      exchange.cancel(new Error(`No answer within ${timeoutMs} ms.`));
    }, timeoutMs);
    try {
      lease.agent.dispatch(dispatchOptionsOf(target, request), exchange);
      const end = await exchange.ended;
      if (end.kind === 'redirect') {
        throw new SmsTransportError(
          'redirect',
          false,
          `${target.host} answered HTTP ${end.status}, a redirect, which is not followed.`,
          end.status,
        );
      }
      if (end.kind === 'too-large') {
        throw new SmsTransportError(
          'too-large',
          // A refusal (4xx) certainly did not send; any other answer may stand for a sent message.
          end.status < 400 || end.status >= 500,
          `The answer of ${target.host} (HTTP ${end.status}) is larger than ${this.maxResponseBytes} bytes and was not read.`,
          end.status,
        );
      }
      return {
        status: end.status,
        headers: end.headers,
        body: end.body.toString('utf8'),
      };
    } catch (error) {
      if (error instanceof SmsTransportError) throw error;
      if (error instanceof AddressPolicyRefusal) {
        throw new SmsAddressRefusedError(target.hostname);
      }
      throw this.failure(
        error,
        exchange.progress,
        timedOut,
        target,
        request,
        timeoutMs,
      );
    } finally {
      clearTimeout(timer);
      lease.release();
    }
  }

  /** Closes every connection and agent. */
  async onModuleDestroy(): Promise<void> {
    this.clientAgents.clear();
    await Promise.all([
      this.sharedAgent.destroy(),
      this.restriction?.agent.destroy(),
    ]);
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
 * The request as undici sends it: only the headers the provider strategy built, the body's length
 * and the host. Headers go as a flat list of names and values, written as given.
 */
function dispatchOptionsOf(
  target: URL,
  request: SmsHttpRequest,
): Dispatcher.DispatchOptions {
  const body =
    request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    // undici writes the body's own length.
    if (body && name.toLowerCase() === 'content-length') continue;
    headers.push(name, value);
  }
  return {
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: request.method,
    headers,
    body,
  };
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
