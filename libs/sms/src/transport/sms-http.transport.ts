import type { OnModuleDestroy } from '@nestjs/common';
import {
  AddressPolicyRefusal,
  createPolicyLookup,
  hostOf,
  isAddressAllowed,
  type SmsAddressPolicy,
} from './address-policy.lookup.js';
import {
  ClientAgentCache,
  type DestroyableAgent,
} from './client-agent.cache.js';
import {
  trustedCertificateAuthorities,
  type ClientCertificatePem,
} from './tls-context.factory.js';
import type { LookupFunction } from 'node:net';
import type {
  SmsHttpRequest,
  SmsHttpResponse,
} from '../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
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
import type { ExchangeProgress } from './exchange-progress.js';
import {
  classifyTransportFailure,
  readableErrorText,
} from './transport-failure.classifier.js';

// Values shorter than this (e.g. `1`) are not secrets and would blank out ordinary words.
const MIN_SCRUBBED_LENGTH = 4;

/** The HTTP clients a transport can be built on. */
export const SMS_HTTP_TRANSPORT_KINDS = ['axios', 'undici'] as const;

/**
 * The HTTP client of the transport: `axios` (the default) sends through `@nestjs/axios`'s
 * `HttpService` on Node's `https.Agent`s; `undici` sends on undici's `Agent`s, for throughput.
 */
export type SmsHttpTransportKind = (typeof SMS_HTTP_TRANSPORT_KINDS)[number];

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
 * limit: the injection token of the library's transport. Two implementations keep the same
 * promises, chosen by the module's `transport` option: {@link AxiosSmsHttpTransport} (the default)
 * and {@link UndiciSmsHttpTransport}.
 *
 * Connections are kept alive and reused: one shared agent for requests without a client
 * certificate, one cached agent per client certificate. Requests restricted by the environment
 * address policy get agents of their own, whose connections go only to addresses the policy
 * checked. Only network-level failures throw; every HTTP status but a redirect comes back as a
 * response. No proxy from the environment is used and no redirect is followed.
 */
export abstract class SmsHttpTransport implements OnModuleDestroy {
  /** The HTTP client this transport is built on. */
  abstract readonly kind: SmsHttpTransportKind;

  /** The number of client-certificate agents currently cached. */
  abstract readonly clientAgentCount: number;

  /**
   * Sends one request and reads the whole answer as UTF-8 text.
   *
   * @throws SmsTransportError when the exchange fails: the provider could not be reached, the TLS
   * handshake failed, the timeout ran out, the connection broke, the answer was too large or was
   * a redirect. Its `maybeSent` says whether the request may have reached the provider.
   * @throws SmsAddressRefusedError (an `SmsTransportError` of kind `connect`) when the request is
   * restricted and its host is or resolves to an address the policy refuses
   */
  abstract send(
    request: SmsHttpRequest,
    options?: SmsHttpSendOptions,
  ): Promise<SmsHttpResponse>;

  /** Closes every connection and agent. */
  abstract onModuleDestroy(): Promise<void>;
}

/** What an agent of a transport is built from. */
export interface TransportAgentOptions {
  ca?: string[];
  clientCertificate?: ClientCertificatePem;
  lookup?: LookupFunction;
  connectTimeoutMs: number;
}

/** One exchange to carry out: the request, where it goes, on which agent, within how long. */
export interface ExchangeJob<A> {
  agent: A;
  target: URL;
  request: SmsHttpRequest;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** How an exchange ended, short of a low-level failure. */
export type ExchangeEnd =
  /** The whole answer, within the size limit. */
  | {
      kind: 'answer';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
    }
  /** A 3xx: the answer was not read and the connection was closed. */
  | { kind: 'redirect'; status: number }
  /** An answer larger than the limit: reading stopped there and the connection was closed. */
  | { kind: 'too-large'; status: number };

/** An exchange that failed before a complete answer was read, and how far it had got. */
export class ExchangeFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly progress: ExchangeProgress,
    readonly expired: boolean,
  ) {
    super('The exchange failed.');
  }
}

/**
 * What both transports share: the agents (shared, restricted, per client certificate), the address
 * policy, the URL checks, the reading of the end of an exchange and the classification and
 * scrubbing of failures. A transport adds how its agents are built and how one exchange runs.
 */
export abstract class AgentPoolTransport<
  A extends DestroyableAgent,
> extends SmsHttpTransport {
  protected readonly timeoutMs: number;
  protected readonly maxResponseBytes: number;
  /** The agent of requests without a client certificate: in the token providers' pool. */
  protected readonly sharedAgent: A;
  /** The environment address policy and the agent whose connections it checks. */
  private readonly restriction?: { policy: SmsAddressPolicy; agent: A };
  private readonly clientAgents: ClientAgentCache<A>;

  constructor(
    options: SmsModuleOptions,
    createAgent: (options: TransportAgentOptions) => A,
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.maxResponseBytes =
      options.maxResponseBytes ?? DEFAULT_SMS_MAX_RESPONSE_BYTES;
    const ca = trustedCertificateAuthorities(options.extraCaCertificates);
    const policy = options.environmentAddressPolicy;
    const lookup = policy && createPolicyLookup(policy);
    const connectTimeoutMs = this.timeoutMs;
    this.sharedAgent = createAgent({ ca, connectTimeoutMs });
    this.restriction = policy && {
      policy,
      agent: createAgent({ ca, lookup, connectTimeoutMs }),
    };
    this.clientAgents = new ClientAgentCache<A>(
      options.clientAgentCacheSize ?? DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
      (clientCertificate, restricted) =>
        createAgent({
          ca,
          clientCertificate,
          lookup: restricted ? lookup : undefined,
          connectTimeoutMs,
        }),
    );
  }

  get clientAgentCount(): number {
    return this.clientAgents.size;
  }

  async send(
    request: SmsHttpRequest,
    options: SmsHttpSendOptions = {},
  ): Promise<SmsHttpResponse> {
    const target = httpsTarget(request.url);
    const restriction =
      options.restrictAddresses === true ? this.restriction : undefined;
    if (restriction) assertLiteralAllowed(target, restriction.policy);
    const lease = this.leaseAgent(request, target, restriction?.agent);
    const job: ExchangeJob<A> = {
      agent: lease.agent,
      target,
      request,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      maxResponseBytes: this.maxResponseBytes,
    };
    try {
      let end: ExchangeEnd;
      try {
        end = await this.exchange(job);
      } catch (error) {
        if (!(error instanceof ExchangeFailure)) throw error;
        if (error.error instanceof AddressPolicyRefusal) {
          throw new SmsAddressRefusedError(target.hostname);
        }
        throw failureOf(job, error);
      }
      return this.responseOf(end, target);
    } finally {
      lease.release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.clientAgents.clear();
    await Promise.all([
      this.sharedAgent.destroy(),
      this.restriction?.agent.destroy(),
    ]);
  }

  /**
   * Carries out one exchange within `job.timeoutMs`: the answer read up to `job.maxResponseBytes`,
   * a redirect or a too-large answer not read further (its connection closed).
   *
   * @throws ExchangeFailure when it failed before a complete answer was read
   */
  protected abstract exchange(job: ExchangeJob<A>): Promise<ExchangeEnd>;

  /** The agent of a request: `restrictedAgent` when the address policy applies to it. */
  private leaseAgent(
    request: SmsHttpRequest,
    target: URL,
    restrictedAgent: A | undefined,
  ): { agent: A; release(): void } {
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

/** The transport error of an exchange that failed before a complete answer was read. */
function failureOf<A>(
  job: ExchangeJob<A>,
  failure: ExchangeFailure,
): SmsTransportError {
  const { target, request } = job;
  const low = lowLevelError(failure.error);
  const { kind, maybeSent, code } = classifyTransportFailure(
    failure.progress,
    low,
    failure.expired,
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
