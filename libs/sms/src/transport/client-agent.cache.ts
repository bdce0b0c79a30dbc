import { createHash } from 'node:crypto';
import { WeakMemo } from '../weak-memo.js';
import type { ClientCertificatePem } from './tls-context.factory.js';

/** An agent borrowed for one exchange; call `release` when the exchange is over. */
export interface ClientAgentLease<A extends DestroyableAgent> {
  agent: A;
  release(): void;
}

/** An agent the cache can close: undici's `Agent` or Node's `https.Agent`. */
export interface DestroyableAgent {
  destroy(): unknown;
}

interface CachedAgent<A extends DestroyableAgent> {
  agent: A;
  inFlight: number;
  evicted: boolean;
}

/**
 * A bounded least-recently-used cache of keep-alive HTTPS agents (undici's or Node's) that carry a client certificate
 * (mutual TLS), keyed by the SHA-256 of the certificate and key PEM and by whether the agent's
 * connections are restricted by the environment address policy. An agent is built, and its key
 * material parsed, once per distinct certificate and restriction; an evicted agent is destroyed as
 * soon as no exchange uses it any more.
 */
export class ClientAgentCache<A extends DestroyableAgent> {
  private readonly agents = new Map<string, CachedAgent<A>>();
  // Each certificate object is hashed once: a provider strategy hands over the same object for the
  // same settings.
  private readonly fingerprints = new WeakMemo(fingerprintOf);

  /**
   * @param capacity the most agents kept
   * @param createAgent builds the agent of a certificate not yet cached; `restricted` asks for an
   *   agent that connects only to addresses the environment address policy allows
   */
  constructor(
    private readonly capacity: number,
    private readonly createAgent: (
      certificate: ClientCertificatePem,
      restricted: boolean,
    ) => A,
  ) {}

  /** The number of cached agents. */
  get size(): number {
    return this.agents.size;
  }

  /**
   * Borrows the agent of the given certificate, building it on first use.
   *
   * @param restricted whether the agent must connect only to addresses the environment address
   *   policy allows; such agents never share connections with unrestricted ones
   */
  acquire(
    certificate: ClientCertificatePem,
    restricted = false,
  ): ClientAgentLease<A> {
    const key = `${restricted ? 'restricted' : 'open'}:${this.fingerprints.get(certificate)}`;
    let cached = this.agents.get(key);
    if (cached) {
      // Re-inserting moves the entry to the most recently used end of the map's order.
      this.agents.delete(key);
    } else {
      cached = {
        agent: this.createAgent(certificate, restricted),
        inFlight: 0,
        evicted: false,
      };
    }
    const entry = cached;
    entry.inFlight += 1;
    this.agents.set(key, entry);
    this.evictBeyondCapacity();

    let released = false;
    return {
      agent: entry.agent,
      release: () => {
        if (released) return;
        released = true;
        entry.inFlight -= 1;
        if (entry.evicted && entry.inFlight === 0) void entry.agent.destroy();
      },
    };
  }

  /** Destroys every cached agent, including those still in use. */
  clear(): void {
    for (const entry of this.agents.values()) {
      entry.evicted = true;
      void entry.agent.destroy();
    }
    this.agents.clear();
  }

  private evictBeyondCapacity(): void {
    for (const [key, entry] of this.agents) {
      if (this.agents.size <= this.capacity) return;
      this.agents.delete(key);
      entry.evicted = true;
      // An agent still carrying an exchange is destroyed when that exchange releases it.
      if (entry.inFlight === 0) void entry.agent.destroy();
    }
  }
}

/** The SHA-256 of the certificate and key: the cache key of their agent. */
function fingerprintOf(certificate: ClientCertificatePem): string {
  return createHash('sha256')
    .update(certificate.certificatePem)
    .update('\0')
    .update(certificate.privateKeyPem)
    .digest('hex');
}
