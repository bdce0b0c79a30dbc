import { describe, expect, it } from 'vitest';
import { OutboundUrlPolicy, type HostLookup } from './outbound-url.policy.js';
import { isPrivateNetworkAddress } from './private-network.block-list.js';

describe('isPrivateNetworkAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::',
    '::1',
    'fe80::1',
    'febf::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '::127.0.0.1',
    'ff02::1',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2002:7f00:0001:0:0:0:0:1',
    '2002:a00:1::1', // 6to4 of 10.0.0.1
    '2002:c0a8:101::', // 6to4 of 192.168.1.1
    '2002:a9fe:a9fe::', // 6to4 of 169.254.169.254
    '2002:0:0::', // 6to4 of 0.0.0.0
    '2002:7f00:1:ffff:ffff:ffff:ffff:ffff',
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo, client 127.0.0.1
    '2001::f5ff:fffe', // Teredo, client 10.0.0.1
    '2001:0:808:808::5601:5601', // Teredo, client 169.254.169.254 (public server)
    '2001:0:4136:e378:8000:63bf:3f57:fefe', // Teredo, client 192.168.1.1
  ])('refuses %s', (address) => {
    expect(isPrivateNetworkAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.169.0.1',
    '2001:4860:4860::8888',
    '2a00:1450::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, client 8.8.8.8
    '2001:db8::7f00:1', // documentation prefix, not Teredo
    '2001:1::80ff:fffe', // outside 2001::/32
  ])('allows %s', (address) => {
    expect(isPrivateNetworkAddress(address)).toBe(false);
  });

  it('refuses what is not an IP address', () => {
    expect(isPrivateNetworkAddress('localhost')).toBe(true);
  });
});

describe('OutboundUrlPolicy', () => {
  const policy = new OutboundUrlPolicy();

  it.each([
    'https://127.0.0.1/sms',
    'https://127.1/sms',
    'https://0x7f000001/sms',
    'https://2130706433/sms',
    'https://[::1]:8443/sms',
    'https://[::ffff:127.0.0.1]/sms',
    'https://[fe80::1]/sms',
    'https://10.0.0.5/sms',
    'https://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/',
    'https://[2002:7f00:1::]/',
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
  ])('refuses the address literal in %s, naming apiUrl', async (url) => {
    const problem = await policy.check(url);
    expect(problem?.path).toBe('apiUrl');
    expect(problem?.message).toMatch(
      /^The field apiUrl must point to a public address\. .* Settings:Security:AllowPrivateNetworkUrls is true\.$/,
    );
  });

  it.each(['localhost', 'LOCALHOST'])(
    'refuses the loopback name %s, as resolved by the system',
    async (host) => {
      const problem = await policy.check(
        `https://${host}:3001/gatewayapi/rest/mtsms`,
      );
      expect(problem?.message).toContain(
        'resolves to a loopback, private or link-local address',
      );
    },
  );

  it('allows a public address literal without resolving anything', async () => {
    const lookups: string[] = [];
    const counting = new OutboundUrlPolicy({
      lookup: async (host) => {
        lookups.push(host);
        return [];
      },
    });
    expect(await counting.check('https://8.8.8.8/sms')).toBeUndefined();
    expect(
      await counting.check('https://[2001:4860:4860::8888]/sms'),
    ).toBeUndefined();
    expect(lookups).toEqual([]);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const lookup: HostLookup = async () => [
      { address: '8.8.8.8' },
      { address: '10.0.0.1' },
    ];
    const mixed = new OutboundUrlPolicy({ lookup });
    expect(
      (await mixed.check('https://provider.example/sms'))?.message,
    ).toContain('could not be confirmed to resolve to public addresses only');
  });

  it('allows a name whose addresses are all public', async () => {
    const lookup: HostLookup = async () => [
      { address: '8.8.8.8' },
      { address: '2a00:1450::1' },
    ];
    expect(
      await new OutboundUrlPolicy({ lookup }).check(
        'https://provider.example/sms',
      ),
    ).toBeUndefined();
  });

  it('refuses a name that does not resolve', async () => {
    const lookup: HostLookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), {
        code: 'ENOTFOUND',
      });
    };
    expect(
      (
        await new OutboundUrlPolicy({ lookup }).check(
          'https://nowhere.invalid/',
        )
      )?.message,
    ).toContain('could not be confirmed to resolve to public addresses only');
  });

  it('answers a name that resolves to a private address and one that does not resolve alike', async () => {
    const answers: Record<string, { address: string }[]> = {
      'internal.example': [{ address: '10.0.0.1' }],
      'mixed.example': [{ address: '8.8.8.8' }, { address: '192.168.1.1' }],
      'empty.example': [],
    };
    const lookup: HostLookup = async (host) => {
      const addresses = answers[host];
      if (addresses) return addresses;
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
        code: 'ENOTFOUND',
      });
    };
    const names = new OutboundUrlPolicy({ lookup });

    const problems = await Promise.all(
      [
        'internal.example',
        'mixed.example',
        'empty.example',
        'nowhere.invalid',
      ].map((host) => names.check(`https://${host}/sms`)),
    );

    expect(problems[0]).toEqual({
      path: 'apiUrl',
      message: expect.stringMatching(
        /^The field apiUrl must point to a public address\./,
      ),
    });
    expect(
      new Set(problems.map((problem) => JSON.stringify(problem))).size,
    ).toBe(1);
    expect(JSON.stringify(problems)).not.toMatch(
      /10\.0\.0\.1|192\.168|ENOTFOUND|example|invalid/,
    );
  });

  it('allows everything when private network URLs are allowed', async () => {
    const open = new OutboundUrlPolicy({ allowPrivateNetworkUrls: true });
    expect(await open.check('https://127.0.0.1/sms')).toBeUndefined();
    expect(await open.check('https://localhost/sms')).toBeUndefined();
  });

  it('leaves a URL that does not parse to the settings validation', async () => {
    expect(await policy.check('not a url')).toBeUndefined();
  });
});
