import { AccessUrlSmsProvider } from './access-url.sms-provider.js';
import { GatewayApiSmsProvider } from './gateway-api.sms-provider.js';
import {
  SmsProvider,
  type SmsHttpRequest,
  type SmsProviderOutcome,
} from './sms-provider.interface.js';
import {
  BUILT_IN_SMS_PROVIDERS,
  SmsProviderRegistry,
} from './sms-provider.registry.js';
import { BUILT_IN_SMS_PROVIDER_TYPES } from '../sms.constants.js';
import { SmsError } from '../errors/sms.error.js';
import { SmstoolsSmsProvider } from './smstools.sms-provider.js';
import { TeliaSmsGatewaySmsProvider } from './telia-sms-gateway.sms-provider.js';

class FakeSmsProvider extends SmsProvider {
  constructor(readonly type: string) {
    super();
  }
  buildRequest(): SmsHttpRequest {
    return { method: 'GET', url: 'https://fake.example/', headers: {} };
  }
  readResponse(): SmsProviderOutcome {
    return { ok: true };
  }
}

describe('SmsProviderRegistry', () => {
  it('maps every built-in type to a strategy of that type', () => {
    const registry = new SmsProviderRegistry({});
    expect(registry.types()).toEqual([...BUILT_IN_SMS_PROVIDER_TYPES]);
    expect(registry.get('AccessUrl')).toBeInstanceOf(AccessUrlSmsProvider);
    expect(registry.get('GatewayApi')).toBeInstanceOf(GatewayApiSmsProvider);
    expect(registry.get('Smstools')).toBeInstanceOf(SmstoolsSmsProvider);
    expect(registry.get('TeliaSmsGateway')).toBeInstanceOf(
      TeliaSmsGatewaySmsProvider,
    );
    for (const [type, Provider] of Object.entries(BUILT_IN_SMS_PROVIDERS)) {
      expect(new Provider().type).toBe(type);
    }
  });

  it('returns the same stateless strategy on every call', () => {
    const registry = new SmsProviderRegistry({});
    expect(registry.get('Smstools')).toBe(registry.get('Smstools'));
  });

  it('refuses an unknown type, naming it and the known ones', () => {
    const registry = new SmsProviderRegistry({});
    expect(() => registry.get('gatewayapi')).toThrow(SmsError);
    expect(() => registry.get('gatewayapi')).toThrow(
      /"gatewayapi".*AccessUrl, GatewayApi, Smstools, TeliaSmsGateway/,
    );
  });

  it('adds custom strategies, and lets one replace a built-in type', () => {
    const mine = new FakeSmsProvider('MyGateway');
    const replacement = new FakeSmsProvider('GatewayApi');
    const registry = new SmsProviderRegistry({
      customProviders: [mine, replacement],
    });
    expect(registry.get('MyGateway')).toBe(mine);
    expect(registry.get('GatewayApi')).toBe(replacement);
    expect(registry.types()).toEqual([
      'AccessUrl',
      'GatewayApi',
      'Smstools',
      'TeliaSmsGateway',
      'MyGateway',
    ]);
  });

  it('refuses a custom strategy without a type, and two with the same type', () => {
    expect(
      () =>
        new SmsProviderRegistry({
          customProviders: [new FakeSmsProvider(' ')],
        }),
    ).toThrow(/customProviders\[0\]\.type/);
    expect(
      () =>
        new SmsProviderRegistry({
          customProviders: [new FakeSmsProvider('X'), new FakeSmsProvider('X')],
        }),
    ).toThrow(/customProviders\[1\]\.type: the type "X" is registered twice/);
  });
});
