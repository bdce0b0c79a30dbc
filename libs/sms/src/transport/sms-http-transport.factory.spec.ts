import { Agent as NodeHttpsAgent } from 'node:https';
import { HttpService } from '@nestjs/axios';
import { Test, type TestingModule } from '@nestjs/testing';
import type { AxiosRequestConfig } from 'axios';
import { Agent as UndiciAgent } from 'undici';
import {
  createCertificateAuthority,
  issueCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { SmsModule } from '../sms.module.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsService } from '../sms.service.js';
import { AxiosSmsHttpTransport } from './axios/axios.sms-http-transport.js';
import { SmsHttpTransport } from './sms-http.transport.js';
import { UndiciSmsHttpTransport } from './undici/undici.sms-http-transport.js';

describe('the transport SmsModule builds', () => {
  let server: HttpsTestServer;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.clear());
  afterEach(async () => {
    vi.restoreAllMocks();
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function compile(options: Partial<SmsModuleOptions>) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          extraCaCertificates: server.caPem,
          settings: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'gw-token-0f3e1d9c',
          },
          ...options,
        }),
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('sends through HttpService on a Node https.Agent by default', async () => {
    const requests = vi.spyOn(HttpService.prototype, 'request');
    const ref = await compile({});
    expect(ref.get(SmsHttpTransport, { strict: false })).toBeInstanceOf(
      AxiosSmsHttpTransport,
    );
    server.answer({ status: 200, body: { ids: [7] } });

    await ref
      .get(SmsService, { strict: false })
      .send({ phone: '+4512345678', message: 'Code 123456' });

    expect(requests).toHaveBeenCalledTimes(1);
    const config = requests.mock.calls[0][0] as AxiosRequestConfig;
    const agent = config.httpsAgent as NodeHttpsAgent;
    expect(agent).toBeInstanceOf(NodeHttpsAgent);
    expect(agent.options.keepAlive).toBe(true);
    expect(config.maxRedirects ?? 0).toBe(0);
    // The request's socket went back to this agent's pool: the agent carried it.
    const free = Object.values(agent.freeSockets).flat();
    expect(free).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it('gives each Telia client certificate an https.Agent of its own', async () => {
    const requests = vi.spyOn(HttpService.prototype, 'request');
    const authority = await createCertificateAuthority({
      commonName: 'Client CA',
    });
    const teliaServer = await HttpsTestServer.start({
      clientCa: authority.certificatePem,
    });
    try {
      const ref = await compile({ extraCaCertificates: teliaServer.caPem });
      const transport = ref.get(SmsHttpTransport, { strict: false });
      const client = (name: string) =>
        issueCertificate(authority, { commonName: name, usage: 'client' });
      const [first, second] = await Promise.all([client('one'), client('two')]);
      teliaServer.answer({ status: 200, body: 'ok' });
      const send = (certificate: typeof first) =>
        transport.send({
          method: 'GET',
          url: `${teliaServer.url}/x`,
          headers: {},
          clientCertificate: {
            certificatePem: certificate.certificatePem,
            privateKeyPem: certificate.privateKeyPem,
          },
        });
      await send(first);
      await send(second);
      await send(first);

      const agents = requests.mock.calls.map(
        ([config]) => (config as AxiosRequestConfig).httpsAgent as unknown,
      );
      expect(agents.every((agent) => agent instanceof NodeHttpsAgent)).toBe(
        true,
      );
      expect(agents[0]).not.toBe(agents[1]);
      expect(agents[2]).toBe(agents[0]);
      expect(transport.clientAgentCount).toBe(2);
    } finally {
      await teliaServer.close();
    }
  });

  it("sends on undici's agents, without HttpService, with transport: 'undici'", async () => {
    const requests = vi.spyOn(HttpService.prototype, 'request');
    const dispatch = vi.spyOn(UndiciAgent.prototype, 'dispatch');
    const ref = await compile({ transport: 'undici' });
    expect(ref.get(SmsHttpTransport, { strict: false })).toBeInstanceOf(
      UndiciSmsHttpTransport,
    );
    server.answer({ status: 200, body: { ids: [8] } });

    await ref
      .get(SmsService, { strict: false })
      .send({ phone: '+4512345678', message: 'Code 123456' });

    expect(requests).not.toHaveBeenCalled();
    expect(dispatch).toHaveBeenCalled();
  });
});
