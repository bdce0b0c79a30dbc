import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Agent, Dispatcher } from 'undici';
import {
  AddressPolicyRefusal,
  createPolicyLookup,
  hostOf,
  isAddressAllowed,
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
import { SmsError } from '../errors/sms.error.js';
import { redactValues } from '../settings/secret-redactor.js';
import {
  SmsAddressRefusedError,
  SmsTransportError,
} from './sms-transport.error.js';
import {
  ProviderExchange,
  type ExchangeEnd,
} from './provider-exchange.handler.js';
import {
  classifyTransportFailure,
  readableErrorText,
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
    const lease = this.leaseAgent(request, target, restriction?.agent);
    try {
      const end = await this.exchange({
        agent: lease.agent,
        target,
        request,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
      });
      return this.responseOf(end, target);
    } finally {
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
      throw new SmsTransportError({
        kind: 'tls',
        maybeSent: false,
        message: `${error.message} No request was sent to ${target.host}.`,
      });
    }
  }

  /** Dispatches the request and waits for the end of the exchange, within its timeout. */
  private async exchange(job: ExchangeJob): Promise<ExchangeEnd> {
    const exchange = new ProviderExchange(this.maxResponseBytes);
    const timer = setTimeout(
      () => exchange.expire(job.timeoutMs),
      job.timeoutMs,
    );
    try {
      job.agent.dispatch(dispatchOptionsOf(job.target, job.request), exchange);
      return await exchange.ended;
    } catch (error) {
      if (error instanceof AddressPolicyRefusal) {
        throw new SmsAddressRefusedError(job.target.hostname);
      }
      throw failureOf(job, exchange, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer as the provider strategy reads it; a redirect or an oversized answer fails. */
  private responseOf(end: ExchangeEnd, target: URL): SmsHttpResponse {
    if (end.kind === 'redirect') {
      throw new SmsTransportError({
        kind: 'redirect',
        maybeSent: false,
        message: `${target.host} answered HTTP ${end.status}, a redirect, which is not followed.`,
        status: end.status,
      });
    }
    if (end.kind === 'too-large') {
      throw new SmsTransportError({
        kind: 'too-large',
        // A refusal (4xx) certainly did not send; any other answer may stand for a sent message.
        maybeSent: end.status < 400 || end.status >= 500,
        message: `The answer of ${target.host} (HTTP ${end.status}) is larger than ${this.maxResponseBytes} bytes and was not read.`,
        status: end.status,
      });
    }
    return {
      status: end.status,
      headers: end.headers,
      body: end.body.toString('utf8'),
    };
  }
}

/** One exchange to carry out: the request, where it goes, on which agent, within how long. */
interface ExchangeJob {
  agent: Agent;
  target: URL;
  request: SmsHttpRequest;
  timeoutMs: number;
}

/** The transport error of an exchange that failed before a complete answer was read. */
function failureOf(
  job: ExchangeJob,
  exchange: ProviderExchange,
  error: unknown,
): SmsTransportError {
  const { target, request } = job;
  const low = lowLevelError(error);
  const { kind, maybeSent, code } = classifyTransportFailure(
    exchange.progress,
    low,
    exchange.expired,
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
    timeout: `${target.host} did not complete the exchange within ${job.timeoutMs} ms; ${outcome}.`,
    reset: `The connection to ${target.host} broke before the answer was complete (${detail}); ${outcome}.`,
  };
  // No cause is attached: some Node errors quote a header's value; the scrubbed code and reason
  // above say what happened.
  return new SmsTransportError({ kind, maybeSent, message: messages[kind] });
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
    throw new SmsTransportError({
      kind: 'connect',
      maybeSent: false,
      message:
        'The provider URL is not a valid absolute URL; no request was sent.',
    });
  }
  if (target.protocol !== 'https:') {
    throw new SmsTransportError({
      kind: 'connect',
      maybeSent: false,
      message: `The provider URL must use https: (it uses ${target.protocol}); no request was sent.`,
    });
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
    message: readableErrorText(
      typeof details.reason === 'string'
        ? details.reason
        : error instanceof Error
          ? error.message
          : String(error),
    ),
  };
}

/** Removes header values and the query string from a low-level message, whatever it echoes. */
function scrub(text: string, request: SmsHttpRequest, target: URL): string {
  const values = [...Object.values(request.headers), target.search, target.href]
    .filter((value) => value.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length);
  return redactValues(text, values);
}
