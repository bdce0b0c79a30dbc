import type { LookupAddress, LookupOptions } from 'node:dns';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import {
  TRANSPORT_KINDS,
  createTransport as createTransportOf,
  type TransportFixture,
} from '../../../../test/support/sms-http-transport.fixture.js';
import {
  AddressPolicyRefusal,
  createPolicyLookup,
  type SmsAddressPolicy,
} from './address-policy.lookup.js';
import { SmsAddressRefusedError } from './sms-transport.error.js';
import type { SmsHttpRequest } from '../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';

const SECRET = 'Bearer policy-secret-token-0042';

/** Runs a lookup and returns what it called back with. */
function lookUp(
  policy: SmsAddressPolicy,
  host: string,
  options: LookupOptions,
): Promise<{ error: unknown; result: unknown[] }> {
  return new Promise((resolve) =>
    createPolicyLookup(policy)(host, options, (error, ...result) =>
      resolve({ error, result }),
    ),
  );
}

describe('createPolicyLookup', () => {
  it('returns the addresses of a host the policy allows, in both callback forms', async () => {
    const all = await lookUp(() => true, 'localhost', { all: true });
    expect(all.error).toBeNull();
    const addresses = all.result[0] as LookupAddress[];
    expect(addresses.map(({ address }) => address)).toContain('127.0.0.1');

    const one = await lookUp(() => true, 'localhost', { family: 4 });
    expect(one).toEqual({ error: null, result: ['127.0.0.1', 4] });
  });

  it('refuses a host when the policy refuses one of its addresses, or throws', async () => {
    const seen: string[] = [];
    const refused = await lookUp(
      (address) => {
        seen.push(address);
        return address !== '127.0.0.1';
      },
      'localhost',
      { all: true },
    );
    expect(refused.error).toBeInstanceOf(AddressPolicyRefusal);
    expect(seen).toContain('127.0.0.1');

    const throwing = await lookUp(
      () => {
        throw new Error('policy bug');
      },
      'localhost',
      {},
    );
    expect(throwing.error).toBeInstanceOf(AddressPolicyRefusal);
  });

  it('passes a resolution failure through unchanged', async () => {
    const missing = await lookUp(() => true, 'no-such-host.invalid', {
      all: true,
    });
    expect((missing.error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});

describe.each(TRANSPORT_KINDS)(
  'SmsHttpTransport with an environment address policy (%s)',
  (kind) => {
    const createTransport = (options: SmsModuleOptions) =>
      createTransportOf({ transport: kind, ...options });
    let authority: PemCertificate;
    let server: HttpsTestServer;
    const checked: string[] = [];
    const refuseLoopback: SmsAddressPolicy = (address) => {
      checked.push(address);
      return address !== '127.0.0.1' && address !== '::1';
    };
    let refusing: TransportFixture;
    let allowing: TransportFixture;

    beforeAll(async () => {
      authority = await createCertificateAuthority({ commonName: 'Policy CA' });
      server = await HttpsTestServer.start({ certificateAuthority: authority });
      refusing = await createTransport({
        extraCaCertificates: server.caPem,
        environmentAddressPolicy: refuseLoopback,
      });
      allowing = await createTransport({
        extraCaCertificates: server.caPem,
        environmentAddressPolicy: (address) => {
          checked.push(address);
          return true;
        },
      });
    });
    afterAll(async () => {
      await refusing.close();
      await allowing.close();
      await server.close();
    });
    beforeEach(() => {
      server.clear().answer({ status: 200, body: 'ok' });
      checked.length = 0;
    });

    const requestTo = (
      host: string,
      extra: Partial<SmsHttpRequest> = {},
    ): SmsHttpRequest => ({
      method: 'POST',
      url: `https://${host}:${server.port}/send`,
      headers: { Authorization: SECRET },
      body: 'hello',
      ...extra,
    });

    async function refusal(
      promise: Promise<unknown>,
    ): Promise<SmsAddressRefusedError> {
      const error = await promise.then(
        () => {
          throw new Error('the send was expected to be refused');
        },
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SmsAddressRefusedError);
      const refused = error as SmsAddressRefusedError;
      expect(refused.kind).toBe('connect');
      expect(refused.maybeSent).toBe(false);
      expect(refused.message).not.toContain(SECRET);
      return refused;
    }

    it('refuses a host name that resolves to a refused address, before any connection', async () => {
      const connectionsBefore = server.tlsConnections;
      const error = await refusal(
        refusing.transport.send(requestTo('localhost'), {
          restrictAddresses: true,
        }),
      );

      expect(error.message).toBe(
        'The host localhost is or resolves to an address that environment settings may not reach (a loopback, private or otherwise internal address); no request was sent.',
      );
      expect(checked).toContain('127.0.0.1');
      expect(server.requests).toHaveLength(0);
      expect(server.tlsConnections).toBe(connectionsBefore);
    });

    it('refuses IP literals, which Node connects to without a lookup', async () => {
      await refusal(
        refusing.transport.send(requestTo('127.0.0.1'), {
          restrictAddresses: true,
        }),
      );
      expect(checked).toEqual(['127.0.0.1']);
      expect(server.requests).toHaveLength(0);
    });

    it('leaves unrestricted sends (site settings) alone', async () => {
      const response = await refusing.transport.send(requestTo('localhost'));

      expect(response.status).toBe(200);
      expect(checked).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });

    it('sends when the policy allows the address, checking it at every new connection', async () => {
      const first = await allowing.transport.send(requestTo('localhost'), {
        restrictAddresses: true,
      });
      const second = await allowing.transport.send(requestTo('localhost'), {
        restrictAddresses: true,
      });
      const literal = await allowing.transport.send(requestTo('127.0.0.1'), {
        restrictAddresses: true,
      });

      expect([first.status, second.status, literal.status]).toEqual([
        200, 200, 200,
      ]);
      expect(server.requests).toHaveLength(3);
      // The kept-alive connection is reused without a new lookup; the literal is checked before its request.
      expect(checked).toEqual(['127.0.0.1', '127.0.0.1']);
    });

    it('keeps restricted and unrestricted connections apart', async () => {
      const own = await HttpsTestServer.start({
        certificateAuthority: authority,
      });
      const transport = await createTransport({
        extraCaCertificates: own.caPem,
        environmentAddressPolicy: () => true,
      });
      try {
        const to = (restrictAddresses: boolean) =>
          transport.transport.send(
            {
              method: 'GET',
              url: `https://localhost:${own.port}/`,
              headers: {},
            },
            { restrictAddresses },
          );
        await to(false);
        await to(true);
        await to(false);
        await to(true);

        expect(own.requests).toHaveLength(4);
        expect(own.tlsConnections).toBe(2);
      } finally {
        await transport.close();
        await own.close();
      }
    });

    describe('with a client certificate (Telia)', () => {
      let clientCa: PemCertificate;
      let client: PemCertificate;
      let mtls: HttpsTestServer;

      beforeAll(async () => {
        clientCa = await createCertificateAuthority({
          commonName: 'Client CA',
        });
        client = await issueCertificate(clientCa, {
          commonName: 'telia-client',
          usage: 'client',
        });
        mtls = await HttpsTestServer.start({
          certificateAuthority: authority,
          clientCa: clientCa.certificatePem,
        });
      });
      afterAll(() => mtls.close());
      beforeEach(() => mtls.clear().answer({ status: 200, body: 'ok' }));

      const teliaRequest = (): SmsHttpRequest => ({
        method: 'POST',
        url: `https://localhost:${mtls.port}/requests`,
        headers: { Authorization: SECRET },
        body: '{}',
        clientCertificate: {
          certificatePem: client.certificatePem,
          privateKeyPem: client.privateKeyPem,
        },
      });

      it('refuses a restricted send to a refused address, and sends an unrestricted one', async () => {
        await refusal(
          refusing.transport.send(teliaRequest(), { restrictAddresses: true }),
        );
        expect(mtls.requests).toHaveLength(0);

        const response = await refusing.transport.send(teliaRequest());
        expect(response.status).toBe(200);
        expect(mtls.requests[0].clientCertificateCommonName).toBe(
          'telia-client',
        );
      });

      it('builds a separate client agent for restricted sends of the same certificate', async () => {
        const transport = await createTransport({
          extraCaCertificates: mtls.caPem,
          environmentAddressPolicy: () => true,
        });
        try {
          await transport.transport.send(teliaRequest());
          await transport.transport.send(teliaRequest(), {
            restrictAddresses: true,
          });
          await transport.transport.send(teliaRequest(), {
            restrictAddresses: true,
          });

          expect(transport.transport.clientAgentCount).toBe(2);
          expect(mtls.requests).toHaveLength(3);
        } finally {
          await transport.close();
        }
      });
    });
  },
);
