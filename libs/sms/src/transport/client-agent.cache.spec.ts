import { Agent } from 'undici';
import { ClientAgentCache } from './client-agent.cache.js';
import type { ClientCertificatePem } from './tls-context.factory.js';

const certificate = (name: string): ClientCertificatePem => ({
  certificatePem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`,
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${name}\n-----END PRIVATE KEY-----\n`,
});

describe('ClientAgentCache', () => {
  let created: {
    name: string;
    restricted: boolean;
    agent: Agent;
    destroy: ReturnType<typeof vi.spyOn>;
  }[];
  const cacheOf = (capacity: number) =>
    new ClientAgentCache(capacity, (pem, restricted) => {
      const agent = new Agent();
      created.push({
        name: pem.certificatePem.split('\n')[1],
        restricted,
        agent,
        destroy: vi.spyOn(agent, 'destroy'),
      });
      return agent;
    });
  // undici's `destroy()` calls itself again with a callback: only the calls without one are the cache's.
  const destroyCalls = (entry: (typeof created)[number]) =>
    entry.destroy.mock.calls.filter((args: unknown[]) => args.length === 0)
      .length;
  const destroyed = () =>
    created.filter((c) => destroyCalls(c) > 0).map((c) => c.name);

  beforeEach(() => {
    created = [];
  });

  it('builds one agent per distinct certificate and key, and reuses it', () => {
    const cache = cacheOf(10);
    const first = cache.acquire(certificate('a'));
    const again = cache.acquire(certificate('a'));
    const other = cache.acquire(certificate('b'));
    const sameCertificateOtherKey = cache.acquire({
      ...certificate('a'),
      privateKeyPem: certificate('c').privateKeyPem,
    });

    expect(again.agent).toBe(first.agent);
    expect(other.agent).not.toBe(first.agent);
    expect(sameCertificateOtherKey.agent).not.toBe(first.agent);
    expect(created).toHaveLength(3);
    expect(cache.size).toBe(3);
  });

  it('keeps agents restricted by the address policy apart from the others of the same certificate', () => {
    const cache = cacheOf(10);
    const open = cache.acquire(certificate('a'));
    const restricted = cache.acquire(certificate('a'), true);
    const restrictedAgain = cache.acquire(certificate('a'), true);

    expect(restricted.agent).not.toBe(open.agent);
    expect(restrictedAgain.agent).toBe(restricted.agent);
    expect(created.map((c) => [c.name, c.restricted])).toEqual([
      ['a', false],
      ['a', true],
    ]);
  });

  it('evicts and destroys the least recently used agent beyond its bound', () => {
    const cache = cacheOf(2);
    cache.acquire(certificate('a')).release();
    cache.acquire(certificate('b')).release();
    cache.acquire(certificate('a')).release();
    cache.acquire(certificate('c')).release();

    expect(cache.size).toBe(2);
    expect(destroyed()).toEqual(['b']);
    cache.acquire(certificate('a')).release();
    expect(created).toHaveLength(3);
  });

  it('destroys an evicted agent only when its last exchange releases it', () => {
    const cache = cacheOf(1);
    const lease = cache.acquire(certificate('a'));
    cache.acquire(certificate('b')).release();

    expect(cache.size).toBe(1);
    expect(destroyed()).toEqual([]);
    lease.release();
    lease.release();
    expect(destroyed()).toEqual(['a']);
    expect(destroyCalls(created[0])).toBe(1);
  });

  it('builds a new agent for a certificate whose agent was evicted', () => {
    const cache = cacheOf(1);
    const a = cache.acquire(certificate('a'));
    a.release();
    cache.acquire(certificate('b')).release();
    const aAgain = cache.acquire(certificate('a'));

    expect(aAgain.agent).not.toBe(a.agent);
    expect(created.map((c) => c.name)).toEqual(['a', 'b', 'a']);
  });

  it('destroys every agent when cleared, those in use included', () => {
    const cache = cacheOf(5);
    cache.acquire(certificate('a'));
    cache.acquire(certificate('b')).release();
    cache.clear();

    expect(cache.size).toBe(0);
    expect(destroyed()).toEqual(['a', 'b']);
  });
});
