import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import type {
  SmsProvider,
  SmsSendContext,
  SmsHttpRequest,
} from '../providers/sms-provider.interface.js';
import type { SmsSettings } from './sms-settings.interface.js';
import {
  parseEnvironmentSmsSettings,
  parseSiteSmsSettings,
} from './sms-settings.validator.js';
import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from '../errors/sms-settings.error.js';

type Plain = Record<string, unknown>;

const SECRETS = [
  'gateway-api-token',
  'client-secret',
  'b7dc08b6-54c8-46c2-ba37-21855d0acca4',
  'xxxxxx',
  'yyyyyy',
];

/** The camelCase settings in the site's PascalCase shape. */
function siteShape(settings: Plain): Plain {
  const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      pascal(key),
      key === 'parameters' && Array.isArray(value)
        ? value.map((entry: unknown) =>
            typeof entry === 'object' && entry !== null && !Array.isArray(entry)
              ? Object.fromEntries(
                  Object.entries(entry).map(([k, v]) => [pascal(k), v]),
                )
              : entry,
          )
        : value,
    ]),
  );
}

function without(settings: Plain, ...keys: string[]): Plain {
  const copy = { ...settings };
  for (const key of keys) delete copy[key];
  return copy;
}

/** The problems of a refused input; fails the test when the input is accepted or another error is thrown. */
function problemsOf(parse: () => unknown): SmsSettingsProblem[] {
  let error: unknown;
  try {
    parse();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SmsSettingsError);
  const message = (error as Error).message;
  for (const secret of SECRETS) expect(message).not.toContain(secret);
  return (error as SmsSettingsError).problems;
}

const accessUrl: Plain = {
  type: 'AccessUrl',
  fromName: 'My-sender',
  apiUrl: 'https://some-provider.dk/sms/',
  parameters: [
    { name: 'username', value: 'xxxxxx' },
    { name: 'password', value: 'yyyyyy' },
    { name: 'recipient', value: '{phone}' },
    { name: 'from', value: '{fromName}' },
    { name: 'message', value: '{message}' },
  ],
};
const gatewayApi: Plain = {
  type: 'GatewayApi',
  fromName: 'My-sender',
  apiUrl: 'https://gatewayapi.eu/rest/mtsms',
  clientSecret: 'gateway-api-token',
  label: 'FoxIDs',
};
const smstools: Plain = {
  type: 'Smstools',
  fromName: 'My-sender',
  apiUrl: 'https://app.smstools.com',
  clientId: 'client-id',
  clientSecret: 'client-secret',
};

let ca: PemCertificate;
let client: PemCertificate;
let telia: Plain;

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'Test CA' });
  client = await issueCertificate(ca, {
    commonName: 'sms-client',
    usage: 'client',
  });
  telia = {
    type: 'TeliaSmsGateway',
    fromName: 'My-sender',
    apiUrl:
      'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
    clientId: '12345',
    clientSecret: 'b7dc08b6-54c8-46c2-ba37-21855d0acca4',
    certificatePemCrt: client.certificatePem,
    certificatePemKey: client.privateKeyPem,
  };
});

describe('the four examples of the user document', () => {
  it('accepts the Access URL example as site settings', () => {
    const input = {
      Type: 'AccessUrl',
      FromName: 'My-sender',
      ApiUrl: 'https://some-provider.dk/sms/',
      Parameters: [
        { Name: 'username', Value: 'xxxxxx' },
        { Name: 'password', Value: 'yyyyyy' },
        { Name: 'recipient', Value: '{phone}' },
        { Name: 'from', Value: '{fromName}' },
        { Name: 'message', Value: '{message}' },
      ],
    };
    expect(parseSiteSmsSettings(input)).toEqual({
      settings: accessUrl,
      certificate: undefined,
      warnings: [],
    });
  });

  it('accepts the Gateway API example as site settings', () => {
    const input = {
      Type: 'GatewayApi',
      FromName: 'My-sender',
      ApiUrl: 'https://gatewayapi.eu/rest/mtsms',
      ClientSecret: 'gateway-api-token',
      Label: 'FoxIDs',
    };
    expect(parseSiteSmsSettings(input).settings).toEqual(gatewayApi);
  });

  it('accepts the Smstools example as site settings', () => {
    const input = {
      Type: 'Smstools',
      FromName: 'My-sender',
      ApiUrl: 'https://app.smstools.com',
      ClientId: 'client-id',
      ClientSecret: 'client-secret',
    };
    expect(parseSiteSmsSettings(input).settings).toEqual(smstools);
  });

  it('accepts the Telia SMS Gateway example, with a real certificate, as site settings', () => {
    const input = {
      Type: 'TeliaSmsGateway',
      FromName: 'My-sender',
      ApiUrl:
        'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
      ClientId: '12345',
      ClientSecret: 'b7dc08b6-54c8-46c2-ba37-21855d0acca4',
      CertificatePemCrt: client.certificatePem,
      CertificatePemKey: client.privateKeyPem,
    };
    const validated = parseSiteSmsSettings(input);
    expect(validated.settings).toEqual(telia);
    expect(validated.warnings).toEqual([]);
    expect(validated.certificate).toMatchObject({
      subject: 'CN=sms-client',
      issuer: 'CN=Test CA',
    });
    expect(validated.certificate?.fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
  });

  it('accepts the same settings in camelCase as environment settings', () => {
    for (const settings of [accessUrl, gatewayApi, smstools, telia]) {
      expect(parseEnvironmentSmsSettings(settings).settings).toEqual(settings);
    }
  });
});

interface RuleCase {
  rule: string;
  settings: () => Plain;
  site: [string, string][];
  environment: [string, string][];
}

const long = (n: number, c = 'a') => c.repeat(n);

const ruleCases: RuleCase[] = [
  {
    rule: 'Type is required',
    settings: () => without(gatewayApi, 'type'),
    site: [['Settings:Sms:Type', 'The field Type is required.']],
    environment: [['type', 'The field type is required.']],
  },
  {
    rule: 'Type is case-sensitive, and a near miss is pointed out',
    settings: () => ({ ...gatewayApi, type: 'gatewayapi' }),
    site: [
      [
        'Settings:Sms:Type',
        'The field Type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "gatewayapi" is not. Did you mean GatewayApi?',
      ],
    ],
    environment: [
      [
        'type',
        'The field type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "gatewayapi" is not. Did you mean GatewayApi?',
      ],
    ],
  },
  {
    rule: 'Type is one of the known types',
    settings: () => ({
      type: 'Twilio',
      fromName: 'My-sender',
      apiUrl: 'https://api.example/sms',
    }),
    site: [
      [
        'Settings:Sms:Type',
        'The field Type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "Twilio" is not.',
      ],
    ],
    environment: [
      [
        'type',
        'The field type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "Twilio" is not.',
      ],
    ],
  },
  {
    rule: 'Type is a string',
    settings: () => ({ ...gatewayApi, type: 7 }),
    site: [['Settings:Sms:Type', 'The field Type must be a string.']],
    environment: [['type', 'The field type must be a string.']],
  },
  {
    rule: 'Type is not blank',
    settings: () => ({ ...gatewayApi, type: '  ' }),
    site: [['Settings:Sms:Type', 'The field Type must not be blank.']],
    environment: [['type', 'The field type must not be blank.']],
  },
  {
    rule: 'FromName is required',
    settings: () => without(accessUrl, 'fromName'),
    site: [['Settings:Sms:FromName', 'The field FromName is required.']],
    environment: [['fromName', 'The field fromName is required.']],
  },
  {
    rule: 'FromName is not blank',
    settings: () => ({ ...accessUrl, fromName: ' \t ' }),
    site: [['Settings:Sms:FromName', 'The field FromName must not be blank.']],
    environment: [['fromName', 'The field fromName must not be blank.']],
  },
  {
    rule: 'FromName is a string',
    settings: () => ({ ...accessUrl, fromName: 42 }),
    site: [['Settings:Sms:FromName', 'The field FromName must be a string.']],
    environment: [['fromName', 'The field fromName must be a string.']],
  },
  {
    rule: 'FromName has at most 100 characters',
    settings: () => ({ ...accessUrl, fromName: long(101) }),
    site: [
      [
        'Settings:Sms:FromName',
        'The field FromName must be at most 100 characters.',
      ],
    ],
    environment: [
      ['fromName', 'The field fromName must be at most 100 characters.'],
    ],
  },
  {
    rule: 'FromName has at most 11 characters for GatewayApi',
    settings: () => ({ ...gatewayApi, fromName: 'Twelve-chars' }),
    site: [
      [
        'Settings:Sms:FromName',
        'The field FromName must be at most 11 characters for GatewayApi, or at most 15 digits when it is all digits.',
      ],
    ],
    environment: [
      [
        'fromName',
        'The field fromName must be at most 11 characters for GatewayApi, or at most 15 digits when it is all digits.',
      ],
    ],
  },
  {
    rule: 'FromName has at most 15 digits for GatewayApi',
    settings: () => ({ ...gatewayApi, fromName: long(16, '4') }),
    site: [
      [
        'Settings:Sms:FromName',
        'The field FromName must be at most 11 characters for GatewayApi, or at most 15 digits when it is all digits.',
      ],
    ],
    environment: [
      [
        'fromName',
        'The field fromName must be at most 11 characters for GatewayApi, or at most 15 digits when it is all digits.',
      ],
    ],
  },
  {
    rule: 'FromName has at most 14 digits for Smstools',
    settings: () => ({ ...smstools, fromName: long(15, '4') }),
    site: [
      [
        'Settings:Sms:FromName',
        'The field FromName must be at most 11 characters for Smstools, or at most 14 digits when it is all digits.',
      ],
    ],
    environment: [
      [
        'fromName',
        'The field fromName must be at most 11 characters for Smstools, or at most 14 digits when it is all digits.',
      ],
    ],
  },
  {
    rule: 'FromName has no line breaks',
    settings: () => ({ ...accessUrl, fromName: 'My\r\nsender' }),
    site: [
      [
        'Settings:Sms:FromName',
        'The field FromName must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'fromName',
        'The field fromName must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'ApiUrl is required',
    settings: () => without(smstools, 'apiUrl'),
    site: [['Settings:Sms:ApiUrl', 'The field ApiUrl is required.']],
    environment: [['apiUrl', 'The field apiUrl is required.']],
  },
  {
    rule: 'ApiUrl is absolute',
    settings: () => ({ ...smstools, apiUrl: '/v1/message/send' }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must be an absolute URL, such as https://provider.example/sms.',
      ],
    ],
    environment: [
      [
        'apiUrl',
        'The field apiUrl must be an absolute URL, such as https://provider.example/sms.',
      ],
    ],
  },
  {
    rule: 'ApiUrl is written with its two slashes',
    settings: () => ({ ...smstools, apiUrl: 'https:app.smstools.com' }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must be an absolute URL, such as https://provider.example/sms.',
      ],
    ],
    environment: [
      [
        'apiUrl',
        'The field apiUrl must be an absolute URL, such as https://provider.example/sms.',
      ],
    ],
  },
  {
    rule: 'ApiUrl uses https',
    settings: () => ({ ...smstools, apiUrl: 'http://app.smstools.com' }),
    site: [['Settings:Sms:ApiUrl', 'The field ApiUrl must use https.']],
    environment: [['apiUrl', 'The field apiUrl must use https.']],
  },
  {
    rule: 'ApiUrl has no user-info',
    settings: () => ({ ...smstools, apiUrl: 'https://me:pw@app.smstools.com' }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must not contain a user name or password.',
      ],
    ],
    environment: [
      ['apiUrl', 'The field apiUrl must not contain a user name or password.'],
    ],
  },
  {
    rule: 'ApiUrl has no empty user-info either',
    settings: () => ({ ...smstools, apiUrl: 'https://@app.smstools.com' }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must not contain a user name or password.',
      ],
    ],
    environment: [
      ['apiUrl', 'The field apiUrl must not contain a user name or password.'],
    ],
  },
  {
    rule: 'ApiUrl has no fragment',
    settings: () => ({ ...gatewayApi, apiUrl: 'https://gatewayapi.eu/#' }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must not contain a fragment (#).',
      ],
    ],
    environment: [
      ['apiUrl', 'The field apiUrl must not contain a fragment (#).'],
    ],
  },
  {
    rule: 'ApiUrl has no spaces',
    settings: () => ({
      ...gatewayApi,
      apiUrl: 'https://gatewayapi.eu/rest\n/mtsms',
    }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must not contain spaces or control characters.',
      ],
    ],
    environment: [
      [
        'apiUrl',
        'The field apiUrl must not contain spaces or control characters.',
      ],
    ],
  },
  {
    rule: 'ApiUrl has at most 500 characters',
    settings: () => ({
      ...gatewayApi,
      apiUrl: `https://gatewayapi.eu/${long(479)}`,
    }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must be at most 500 characters.',
      ],
    ],
    environment: [
      ['apiUrl', 'The field apiUrl must be at most 500 characters.'],
    ],
  },
  {
    rule: 'ApiUrl has no query string for AccessUrl',
    settings: () => ({
      ...accessUrl,
      apiUrl: 'https://some-provider.dk/sms/?user=me',
    }),
    site: [
      [
        'Settings:Sms:ApiUrl',
        'The field ApiUrl must not contain a query string for AccessUrl; put query parameters in Parameters.',
      ],
    ],
    environment: [
      [
        'apiUrl',
        'The field apiUrl must not contain a query string for AccessUrl; put query parameters in parameters.',
      ],
    ],
  },
  {
    rule: 'Parameters are required for AccessUrl',
    settings: () => without(accessUrl, 'parameters'),
    site: [
      [
        'Settings:Sms:Parameters',
        'The field Parameters is required for AccessUrl.',
      ],
    ],
    environment: [
      ['parameters', 'The field parameters is required for AccessUrl.'],
    ],
  },
  {
    rule: 'Parameters are an array',
    settings: () => ({
      ...accessUrl,
      parameters: { name: 'to', value: '{phone}' },
    }),
    site: [
      ['Settings:Sms:Parameters', 'The field Parameters must be an array.'],
    ],
    environment: [['parameters', 'The field parameters must be an array.']],
  },
  {
    rule: 'Parameters have at least one parameter',
    settings: () => ({ ...accessUrl, parameters: [] }),
    site: [
      [
        'Settings:Sms:Parameters',
        'The field Parameters must contain at least one parameter.',
      ],
    ],
    environment: [
      [
        'parameters',
        'The field parameters must contain at least one parameter.',
      ],
    ],
  },
  {
    rule: 'each parameter is an object',
    settings: () => ({
      ...accessUrl,
      parameters: [...(accessUrl.parameters as unknown[]), 'to={phone}'],
    }),
    site: [
      [
        'Settings:Sms:Parameters:5',
        'Each parameter must be an object with a name and a value.',
      ],
    ],
    environment: [
      [
        'parameters[5]',
        'Each parameter must be an object with a name and a value.',
      ],
    ],
  },
  {
    rule: 'a parameter Name is required',
    settings: () => ({
      ...accessUrl,
      parameters: [{ value: '{phone}' }, { name: 'text', value: '{message}' }],
    }),
    site: [['Settings:Sms:Parameters:0:Name', 'The field Name is required.']],
    environment: [['parameters[0].name', 'The field name is required.']],
  },
  {
    rule: 'a parameter Name is not blank',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: ' ', value: '{phone}' },
        { name: 'text', value: '{message}' },
      ],
    }),
    site: [
      ['Settings:Sms:Parameters:0:Name', 'The field Name must not be blank.'],
    ],
    environment: [['parameters[0].name', 'The field name must not be blank.']],
  },
  {
    rule: 'a parameter Name has no line breaks',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: 'to\nx', value: '{phone}' },
        { name: 'text', value: '{message}' },
      ],
    }),
    site: [
      [
        'Settings:Sms:Parameters:0:Name',
        'The field Name must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'parameters[0].name',
        'The field name must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'a parameter Value is a string',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message}' },
        { name: 'unicode', value: 1 },
      ],
    }),
    site: [
      ['Settings:Sms:Parameters:2:Value', 'The field Value must be a string.'],
    ],
    environment: [['parameters[2].value', 'The field value must be a string.']],
  },
  {
    rule: 'a parameter has no unknown key',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: 'to', value: '{phone}' },
        { name: 'text', vlaue: '{message}' },
        { name: 'text2', value: '{message}' },
      ],
    }),
    site: [
      [
        'Settings:Sms:Parameters:1:Vlaue',
        'The key Vlaue is unknown; did you mean Value?',
      ],
    ],
    environment: [
      ['parameters[1].vlaue', 'The key vlaue is unknown; did you mean value?'],
    ],
  },
  {
    rule: 'an unknown placeholder is an error',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: 'to', value: '{phone}' },
        { name: 'to2', value: '+{phon}' },
        { name: 'text', value: '{message}' },
      ],
    }),
    site: [
      [
        'Settings:Sms:Parameters:1:Value',
        'The field Value contains the unknown placeholder {phon}; the placeholders are {phone}, {message}, {fromName}.',
      ],
    ],
    environment: [
      [
        'parameters[1].value',
        'The field value contains the unknown placeholder {phon}; the placeholders are {phone}, {message}, {fromName}.',
      ],
    ],
  },
  {
    rule: 'placeholders are case-sensitive',
    settings: () => ({
      ...accessUrl,
      parameters: [
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message} {Message} {from_name}' },
      ],
    }),
    site: [
      [
        'Settings:Sms:Parameters:1:Value',
        'The field Value contains the unknown placeholders {Message}, {from_name}; the placeholders are {phone}, {message}, {fromName}.',
      ],
    ],
    environment: [
      [
        'parameters[1].value',
        'The field value contains the unknown placeholders {Message}, {from_name}; the placeholders are {phone}, {message}, {fromName}.',
      ],
    ],
  },
  {
    rule: 'a value has {phone}',
    settings: () => ({
      ...accessUrl,
      parameters: [{ name: 'text', value: '{message}' }],
    }),
    site: [
      [
        'Settings:Sms:Parameters',
        'The field Parameters must have at least one value containing {phone}.',
      ],
    ],
    environment: [
      [
        'parameters',
        'The field parameters must have at least one value containing {phone}.',
      ],
    ],
  },
  {
    rule: 'a value has {message}',
    settings: () => ({
      ...accessUrl,
      parameters: [{ name: 'to', value: '{phone}' }],
    }),
    site: [
      [
        'Settings:Sms:Parameters',
        'The field Parameters must have at least one value containing {message}.',
      ],
    ],
    environment: [
      [
        'parameters',
        'The field parameters must have at least one value containing {message}.',
      ],
    ],
  },
  {
    rule: 'ClientId is required for Smstools',
    settings: () => without(smstools, 'clientId'),
    site: [
      ['Settings:Sms:ClientId', 'The field ClientId is required for Smstools.'],
    ],
    environment: [['clientId', 'The field clientId is required for Smstools.']],
  },
  {
    rule: 'ClientId is required for TeliaSmsGateway',
    settings: () => without(telia, 'clientId'),
    site: [
      [
        'Settings:Sms:ClientId',
        'The field ClientId is required for TeliaSmsGateway.',
      ],
    ],
    environment: [
      ['clientId', 'The field clientId is required for TeliaSmsGateway.'],
    ],
  },
  {
    rule: 'ClientId is not blank',
    settings: () => ({ ...smstools, clientId: '' }),
    site: [['Settings:Sms:ClientId', 'The field ClientId must not be blank.']],
    environment: [['clientId', 'The field clientId must not be blank.']],
  },
  {
    rule: 'ClientId has at most 300 characters',
    settings: () => ({ ...telia, clientId: long(301, '1') }),
    site: [
      [
        'Settings:Sms:ClientId',
        'The field ClientId must be at most 300 characters.',
      ],
    ],
    environment: [
      ['clientId', 'The field clientId must be at most 300 characters.'],
    ],
  },
  {
    rule: 'ClientId is ASCII for Smstools, which sends it in a header',
    settings: () => ({ ...smstools, clientId: 'clïent' }),
    site: [
      [
        'Settings:Sms:ClientId',
        'The field ClientId must contain only ASCII characters, because it is sent in an HTTP header.',
      ],
    ],
    environment: [
      [
        'clientId',
        'The field clientId must contain only ASCII characters, because it is sent in an HTTP header.',
      ],
    ],
  },
  {
    rule: 'ClientId has no line breaks',
    settings: () => ({ ...smstools, clientId: 'id\r\nX-Injected: 1' }),
    site: [
      [
        'Settings:Sms:ClientId',
        'The field ClientId must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'clientId',
        'The field clientId must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'ClientSecret is required for GatewayApi',
    settings: () => without(gatewayApi, 'clientSecret'),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret is required for GatewayApi.',
      ],
    ],
    environment: [
      ['clientSecret', 'The field clientSecret is required for GatewayApi.'],
    ],
  },
  {
    rule: 'ClientSecret is required for Smstools',
    settings: () => ({ ...smstools, clientSecret: null }),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret is required for Smstools.',
      ],
    ],
    environment: [
      ['clientSecret', 'The field clientSecret is required for Smstools.'],
    ],
  },
  {
    rule: 'ClientSecret is required for TeliaSmsGateway',
    settings: () => without(telia, 'clientSecret'),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret is required for TeliaSmsGateway.',
      ],
    ],
    environment: [
      [
        'clientSecret',
        'The field clientSecret is required for TeliaSmsGateway.',
      ],
    ],
  },
  {
    rule: 'ClientSecret has at most 300 characters',
    settings: () => ({ ...gatewayApi, clientSecret: long(301, 'k') }),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret must be at most 300 characters.',
      ],
    ],
    environment: [
      [
        'clientSecret',
        'The field clientSecret must be at most 300 characters.',
      ],
    ],
  },
  {
    rule: 'ClientSecret has no line breaks',
    settings: () => ({ ...gatewayApi, clientSecret: 'gateway-api-token\n' }),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'clientSecret',
        'The field clientSecret must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'ClientSecret has no NUL',
    settings: () => ({
      ...telia,
      clientSecret: 'b7dc08b6-54c8-46c2-ba37-21855d0acca4\u0000',
    }),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'clientSecret',
        'The field clientSecret must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'ClientSecret is ASCII',
    settings: () => ({ ...gatewayApi, clientSecret: 'gateway-api-token€' }),
    site: [
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret must contain only ASCII characters, because it is sent in an HTTP header.',
      ],
    ],
    environment: [
      [
        'clientSecret',
        'The field clientSecret must contain only ASCII characters, because it is sent in an HTTP header.',
      ],
    ],
  },
  {
    rule: 'ClientSecret is a string',
    settings: () => ({ ...gatewayApi, clientSecret: 123456 }),
    site: [
      ['Settings:Sms:ClientSecret', 'The field ClientSecret must be a string.'],
    ],
    environment: [['clientSecret', 'The field clientSecret must be a string.']],
  },
  {
    rule: 'Label has at most 100 characters',
    settings: () => ({ ...gatewayApi, label: long(101) }),
    site: [
      ['Settings:Sms:Label', 'The field Label must be at most 100 characters.'],
    ],
    environment: [['label', 'The field label must be at most 100 characters.']],
  },
  {
    rule: 'Label has no line breaks',
    settings: () => ({ ...gatewayApi, label: 'a\nb' }),
    site: [
      [
        'Settings:Sms:Label',
        'The field Label must not contain line breaks, NUL or other control characters.',
      ],
    ],
    environment: [
      [
        'label',
        'The field label must not contain line breaks, NUL or other control characters.',
      ],
    ],
  },
  {
    rule: 'CertificatePemCrt is required for TeliaSmsGateway',
    settings: () => without(telia, 'certificatePemCrt'),
    site: [
      [
        'Settings:Sms:CertificatePemCrt',
        'The field CertificatePemCrt is required for TeliaSmsGateway.',
      ],
    ],
    environment: [
      [
        'certificatePemCrt',
        'The field certificatePemCrt is required for TeliaSmsGateway.',
      ],
    ],
  },
  {
    rule: 'CertificatePemKey is required for TeliaSmsGateway',
    settings: () => ({ ...telia, certificatePemKey: '' }),
    site: [
      [
        'Settings:Sms:CertificatePemKey',
        'The field CertificatePemKey must not be blank.',
      ],
    ],
    environment: [
      ['certificatePemKey', 'The field certificatePemKey must not be blank.'],
    ],
  },
  {
    rule: 'an unknown key is an error that names it',
    settings: () => ({
      ...without(gatewayApi, 'clientSecret'),
      clientSecert: 'gateway-api-token',
    }),
    site: [
      [
        'Settings:Sms:ClientSecert',
        'The key ClientSecert is unknown; did you mean ClientSecret?',
      ],
      [
        'Settings:Sms:ClientSecret',
        'The field ClientSecret is required for GatewayApi.',
      ],
    ],
    environment: [
      [
        'clientSecert',
        'The key clientSecert is unknown; did you mean clientSecret?',
      ],
      ['clientSecret', 'The field clientSecret is required for GatewayApi.'],
    ],
  },
];

describe.each([
  {
    level: 'site',
    parse: parseSiteSmsSettings,
    shape: siteShape,
    expected: (c: RuleCase) => c.site,
  },
  {
    level: 'environment',
    parse: parseEnvironmentSmsSettings,
    shape: (settings: Plain) => settings,
    expected: (c: RuleCase) => c.environment,
  },
])('the rules of §1 at $level level', ({ parse, shape, expected }) => {
  it.each(ruleCases)('$rule', (ruleCase) => {
    const problems = problemsOf(() => parse(shape(ruleCase.settings())));
    expect(problems).toEqual(
      expected(ruleCase).map(([path, message]) => ({ path, message })),
    );
  });
});

describe('limits that are met', () => {
  it.each<[string, () => Plain]>([
    [
      'GatewayApi, 11 characters',
      () => ({ ...gatewayApi, fromName: 'Elevenchars' }),
    ],
    [
      'GatewayApi, 15 digits',
      () => ({ ...gatewayApi, fromName: long(15, '4') }),
    ],
    ['Smstools, 14 digits', () => ({ ...smstools, fromName: long(14, '4') })],
    [
      'Smstools, 11 characters',
      () => ({ ...smstools, fromName: 'Eleven-char' }),
    ],
    [
      'AccessUrl, 100 characters',
      () => ({ ...accessUrl, fromName: long(100) }),
    ],
    [
      'AccessUrl, 100 emoji',
      () => ({ ...accessUrl, fromName: long(100, '😀') }),
    ],
    [
      'ApiUrl of 500 characters',
      () => ({ ...gatewayApi, apiUrl: `https://gatewayapi.eu/${long(478)}` }),
    ],
    [
      'ClientSecret of 300 characters',
      () => ({ ...gatewayApi, clientSecret: long(300, 'k') }),
    ],
    ['Label of 100 characters', () => ({ ...gatewayApi, label: long(100) })],
    [
      'an empty parameter value',
      () => ({
        ...accessUrl,
        parameters: [
          { name: 'to', value: '{phone}' },
          { name: 'text', value: '{message}' },
          { name: 'flag', value: '' },
        ],
      }),
    ],
    [
      'a query string in a Gateway API URL',
      () => ({ ...gatewayApi, apiUrl: 'https://gatewayapi.eu/rest/mtsms?x=1' }),
    ],
    [
      'a Telia ClientId that is not ASCII',
      () => ({ ...telia, clientId: 'Ærø' }),
    ],
  ])('accepts %s', (_name, settingsOf) => {
    const full = settingsOf();
    expect(parseEnvironmentSmsSettings(full).settings).toEqual(full);
    expect(parseSiteSmsSettings(siteShape(full)).settings).toEqual(full);
  });
});

describe('input of the wrong shape', () => {
  it.each([null, [], 'GatewayApi', 42, true, undefined])(
    'refuses %j with one clear error',
    (input) => {
      expect(problemsOf(() => parseSiteSmsSettings(input))).toEqual([
        {
          path: 'Settings:Sms',
          message: 'The SMS settings must be a JSON object.',
        },
      ]);
      expect(problemsOf(() => parseEnvironmentSmsSettings(input))).toEqual([
        {
          path: 'settings',
          message: 'The SMS settings must be a JSON object.',
        },
      ]);
    },
  );

  it('reports a wrong JSON type in every field without crashing', () => {
    const input = {
      type: 'TeliaSmsGateway',
      fromName: ['My-sender'],
      apiUrl: { href: 'https://x.example' },
      clientId: 12345,
      clientSecret: true,
      certificatePemCrt: 1,
      certificatePemKey: {},
    };
    expect(problemsOf(() => parseEnvironmentSmsSettings(input))).toEqual(
      [
        'fromName',
        'apiUrl',
        'clientId',
        'clientSecret',
        'certificatePemCrt',
        'certificatePemKey',
      ].map((field) => ({
        path: field,
        message: `The field ${field} must be a string.`,
      })),
    );
  });

  it('copes with deeply nested values', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({
          ...accessUrl,
          fromName: deep,
          parameters: deep,
        }),
      ),
    ).toEqual([
      { path: 'fromName', message: 'The field fromName must be a string.' },
      {
        path: 'parameters',
        message:
          'The field parameters must have at least one value containing {phone}.',
      },
      {
        path: 'parameters',
        message:
          'The field parameters must have at least one value containing {message}.',
      },
      {
        path: 'parameters[0]',
        message: 'Each parameter must be an object with a name and a value.',
      },
    ]);
  });

  it('quotes an unknown key safely, without its control characters', () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({ ...gatewayApi, 'evil\nkey': 1 }),
      ),
    ).toEqual([
      { path: 'evil\\nkey', message: 'The key evil\\nkey is unknown.' },
    ]);
  });

  it("refuses a key in the other level's case, pointing to the right one", () => {
    expect(
      problemsOf(() =>
        parseSiteSmsSettings({ ...siteShape(gatewayApi), label: 'x' }),
      ),
    ).toEqual([
      {
        path: 'Settings:Sms:label',
        message: 'The key label is unknown; did you mean Label?',
      },
    ]);
  });
});

describe('all problems at once', () => {
  it('lists every failing field of one input, in one error', () => {
    const input = {
      Type: 'AccessUrl',
      FromName: '',
      ApiUrl: 'http://some-provider.dk/sms/?user=x',
      Parameters: [
        { Name: 'user', Value: 'xxxxxx' },
        { Name: '', Value: '{phon}' },
      ],
      Sender: 'x',
    };
    let error: unknown;
    try {
      parseSiteSmsSettings(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmsSettingsError);
    expect((error as SmsSettingsError).problems).toEqual([
      { path: 'Settings:Sms:Sender', message: 'The key Sender is unknown.' },
      {
        path: 'Settings:Sms:FromName',
        message: 'The field FromName must not be blank.',
      },
      {
        path: 'Settings:Sms:ApiUrl',
        message: 'The field ApiUrl must use https.',
      },
      {
        path: 'Settings:Sms:Parameters',
        message:
          'The field Parameters must have at least one value containing {phone}.',
      },
      {
        path: 'Settings:Sms:Parameters',
        message:
          'The field Parameters must have at least one value containing {message}.',
      },
      {
        path: 'Settings:Sms:Parameters:1:Name',
        message: 'The field Name must not be blank.',
      },
      {
        path: 'Settings:Sms:Parameters:1:Value',
        message:
          'The field Value contains the unknown placeholder {phon}; the placeholders are {phone}, {message}, {fromName}.',
      },
    ]);
    expect((error as Error).message).toBe(
      [
        'Invalid SMS settings:',
        '- Settings:Sms:Sender: The key Sender is unknown.',
        '- Settings:Sms:FromName: The field FromName must not be blank.',
        '- Settings:Sms:ApiUrl: The field ApiUrl must use https.',
        '- Settings:Sms:Parameters: The field Parameters must have at least one value containing {phone}.',
        '- Settings:Sms:Parameters: The field Parameters must have at least one value containing {message}.',
        '- Settings:Sms:Parameters:1:Name: The field Name must not be blank.',
        '- Settings:Sms:Parameters:1:Value: The field Value contains the unknown placeholder {phon}; the placeholders are {phone}, {message}, {fromName}.',
      ].join('\n'),
    );
    expect((error as Error).message).not.toContain('xxxxxx');
  });
});

describe('keys of another type', () => {
  it('ignores them and leaves them out of the settings', () => {
    const input = {
      ...siteShape(gatewayApi),
      ClientId: 'not-for-gateway-api',
      Parameters: 'not even an array',
      CertificatePemCrt: 'not a certificate',
    };
    expect(parseSiteSmsSettings(input).settings).toEqual(gatewayApi);
  });

  it('ignores a Label on Smstools and Telia settings', () => {
    expect(
      parseEnvironmentSmsSettings({ ...smstools, label: 42 }).settings,
    ).toEqual(smstools);
  });

  it('keeps only the common fields checked when the type is unknown', () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({
          type: 'Nope',
          fromName: '',
          apiUrl: 'https://x.example',
          clientSecret: 'gateway-api-token',
        }),
      ),
    ).toEqual([
      {
        path: 'type',
        message:
          'The field type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "Nope" is not.',
      },
      { path: 'fromName', message: 'The field fromName must not be blank.' },
    ]);
  });
});

describe('trimming', () => {
  it('trims names and URLs but not secrets or parameter values', () => {
    const settings = parseEnvironmentSmsSettings({
      type: ' AccessUrl ',
      fromName: '  My-sender\n',
      apiUrl: ' https://some-provider.dk/sms/ ',
      parameters: [
        { name: ' to ', value: ' {phone} ' },
        { name: 'text', value: '{message}' },
        { name: 'flag' },
      ],
    }).settings;
    expect(settings).toEqual({
      type: 'AccessUrl',
      fromName: 'My-sender',
      apiUrl: 'https://some-provider.dk/sms/',
      parameters: [
        { name: 'to', value: ' {phone} ' },
        { name: 'text', value: '{message}' },
        { name: 'flag', value: '' },
      ],
    });
    expect(
      parseEnvironmentSmsSettings({ ...smstools, clientSecret: ' s3cret ' })
        .settings.clientSecret,
    ).toBe(' s3cret ');
  });

  it('leaves out an empty label', () => {
    expect(
      parseEnvironmentSmsSettings({ ...gatewayApi, label: '  ' }).settings,
    ).toEqual(without(gatewayApi, 'label'));
  });
});

describe('path prefix', () => {
  it('starts every path with the given prefix', () => {
    expect(
      problemsOf(() =>
        parseSiteSmsSettings(siteShape(without(gatewayApi, 'clientSecret')), {
          pathPrefix: 'Sms',
        }),
      ),
    ).toEqual([
      {
        path: 'Sms:ClientSecret',
        message: 'The field ClientSecret is required for GatewayApi.',
      },
    ]);
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings(
          {
            ...accessUrl,
            parameters: [{ name: '', value: '{phone}{message}' }],
          },
          { pathPrefix: 'sms' },
        ),
      ),
    ).toEqual([
      {
        path: 'sms.parameters[0].name',
        message: 'The field name must not be blank.',
      },
    ]);
  });
});

describe('fallback', () => {
  it('validates the site fallback by the same rules, every problem under Settings:Sms:Fallback', () => {
    expect(
      problemsOf(() =>
        parseSiteSmsSettings({
          ...siteShape(without(gatewayApi, 'clientSecret')),
          Fallback: siteShape(without(smstools, 'clientSecret', 'apiUrl')),
        }),
      ),
    ).toEqual([
      {
        path: 'Settings:Sms:ClientSecret',
        message: 'The field ClientSecret is required for GatewayApi.',
      },
      {
        path: 'Settings:Sms:Fallback:ApiUrl',
        message: 'The field ApiUrl is required.',
      },
      {
        path: 'Settings:Sms:Fallback:ClientSecret',
        message: 'The field ClientSecret is required for Smstools.',
      },
    ]);
  });

  it("validates an environment's fallback, its paths under fallback.", () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({
          ...gatewayApi,
          fallback: {
            ...accessUrl,
            parameters: [{ name: '', value: '{phone}{message}' }],
          },
        }),
      ),
    ).toEqual([
      {
        path: 'fallback.parameters[0].name',
        message: 'The field name must not be blank.',
      },
    ]);
  });

  it('refuses a fallback of a fallback, and a fallback that is not an object', () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({
          ...gatewayApi,
          fallback: { ...smstools, fallback: gatewayApi },
        }),
      ),
    ).toEqual([
      {
        path: 'fallback.fallback',
        message:
          'The key fallback is not allowed here: a fallback provider has no fallback of its own.',
      },
    ]);
    expect(
      problemsOf(() =>
        parseSiteSmsSettings({
          ...siteShape(gatewayApi),
          Fallback: 'Smstools',
        }),
      ),
    ).toEqual([
      {
        path: 'Settings:Sms:Fallback',
        message: 'The SMS settings must be a JSON object.',
      },
    ]);
  });

  it('keeps a valid fallback, with its certificate and any type', () => {
    const site = parseSiteSmsSettings({
      ...siteShape(gatewayApi),
      Fallback: siteShape(telia),
    });
    expect(site.settings.fallback).toEqual(telia);
    expect(site.fallbackCertificate?.subject).toContain('sms-client');
    expect(site.certificate).toBeUndefined();
    const environment = parseEnvironmentSmsSettings({
      ...smstools,
      fallback: accessUrl,
    });
    expect(environment.settings).toEqual({ ...smstools, fallback: accessUrl });
    expect(parseEnvironmentSmsSettings(gatewayApi).settings).not.toHaveProperty(
      'fallback',
    );
  });
});

describe('Telia client certificate', () => {
  const pkcs8 = (pem: string) => pem;
  const legacy = (pem: string, type: 'pkcs1' | 'sec1') =>
    createPrivateKey(pem).export({ type, format: 'pem' }) as string;

  it.each([
    ['RSA', 'rsa' as const, 'PKCS#8', pkcs8],
    ['RSA', 'rsa' as const, 'PKCS#1', (pem: string) => legacy(pem, 'pkcs1')],
    ['EC', 'ec' as const, 'PKCS#8', pkcs8],
    ['EC', 'ec' as const, 'SEC1', (pem: string) => legacy(pem, 'sec1')],
  ])(
    'accepts an %s certificate with a %s… key (%s)',
    async (_k, keyType, _f, convert) => {
      const pair = await issueCertificate(ca, {
        commonName: 'telia-client',
        usage: 'client',
        keyType,
      });
      const settings = {
        ...telia,
        certificatePemCrt: pair.certificatePem,
        certificatePemKey: convert(pair.privateKeyPem),
      };
      const validated = parseEnvironmentSmsSettings(settings);
      expect(validated.settings).toEqual(settings);
      expect(validated.certificate?.subject).toBe('CN=telia-client');
    },
  );

  it('refuses a key of another certificate', async () => {
    const other = await issueCertificate(ca, {
      commonName: 'other',
      usage: 'client',
    });
    expect(
      problemsOf(() =>
        parseSiteSmsSettings(
          siteShape({ ...telia, certificatePemKey: other.privateKeyPem }),
        ),
      ),
    ).toEqual([
      {
        path: 'Settings:Sms:CertificatePemKey',
        message:
          'The field CertificatePemKey does not belong to the certificate.',
      },
    ]);
  });

  it('refuses an encrypted key', () => {
    const encrypted = createPrivateKey(client.privateKeyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pass phrase',
    }) as string;
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({ ...telia, certificatePemKey: encrypted }),
      ),
    ).toEqual([
      {
        path: 'certificatePemKey',
        message:
          'The field certificatePemKey is an encrypted private key; give the key without a passphrase (for example from openssl pkey -in key.pem -out plain-key.pem).',
      },
    ]);
  });

  it('refuses garbage in both fields, naming each, without echoing them', () => {
    const problems = problemsOf(() =>
      parseSiteSmsSettings(
        siteShape({
          ...telia,
          certificatePemCrt: 'not-a-certificate-garbage',
          certificatePemKey: 'not-a-key-garbage',
        }),
      ),
    );
    expect(problems).toEqual([
      {
        path: 'Settings:Sms:CertificatePemCrt',
        message:
          'The field CertificatePemCrt is not a PEM X.509 certificate; it must start with -----BEGIN CERTIFICATE-----.',
      },
      {
        path: 'Settings:Sms:CertificatePemKey',
        message:
          'The field CertificatePemKey is not a PEM private key; it must start with -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----.',
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('garbage');
  });

  it('warns about an expired certificate at site level and refuses it at environment level', async () => {
    const expired = await issueCertificate(ca, {
      commonName: 'expired',
      usage: 'client',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    const settings = {
      ...telia,
      certificatePemCrt: expired.certificatePem,
      certificatePemKey: expired.privateKeyPem,
    };
    const site = parseSiteSmsSettings(siteShape(settings));
    expect(site.settings).toEqual(settings);
    expect(site.warnings).toEqual([
      'Settings:Sms:CertificatePemCrt: The certificate in CertificatePemCrt is outside its validity period (expired on 2021-01-01T00:00:00.000Z); sends with it fail until it is renewed.',
    ]);
    expect(problemsOf(() => parseEnvironmentSmsSettings(settings))).toEqual([
      {
        path: 'certificatePemCrt',
        message:
          'The certificate in certificatePemCrt is outside its validity period (expired on 2021-01-01T00:00:00.000Z).',
      },
    ]);
  });

  it('warns about a certificate not yet valid at site level and refuses it at environment level', async () => {
    const future = await issueCertificate(ca, {
      commonName: 'future',
      usage: 'client',
      notBefore: new Date('2099-01-01T00:00:00Z'),
      notAfter: new Date('2100-01-01T00:00:00Z'),
    });
    const settings = {
      ...telia,
      certificatePemCrt: future.certificatePem,
      certificatePemKey: future.privateKeyPem,
    };
    expect(parseSiteSmsSettings(siteShape(settings)).warnings).toEqual([
      'Settings:Sms:CertificatePemCrt: The certificate in CertificatePemCrt is outside its validity period (not valid before 2099-01-01T00:00:00.000Z); sends with it fail until it is renewed.',
    ]);
    expect(problemsOf(() => parseEnvironmentSmsSettings(settings))).toEqual([
      {
        path: 'certificatePemCrt',
        message:
          'The certificate in certificatePemCrt is outside its validity period (not valid before 2099-01-01T00:00:00.000Z).',
      },
    ]);
  });

  it('judges validity at the given time', () => {
    expect(() =>
      parseEnvironmentSmsSettings(telia, {
        now: new Date(Date.now() + 365 * 86_400_000),
      }),
    ).toThrow(/expired on/);
  });
});

describe('custom providers', () => {
  class EchoProvider implements SmsProvider {
    readonly type = 'Echo';
    buildRequest(context: SmsSendContext): SmsHttpRequest {
      return { method: 'GET', url: context.settings.apiUrl, headers: {} };
    }
    readResponse() {
      return { ok: true as const };
    }
    validate(settings: SmsSettings) {
      return settings.clientId === 'bad'
        ? [
            { field: 'clientId', message: 'The client id is refused by Echo.' },
            {
              field: 'parameters[0].name',
              message: 'The name is refused by Echo.',
            },
          ]
        : [];
    }
  }
  const customProviders = [new EchoProvider()];
  const echo = {
    type: 'Echo',
    fromName: 'Sender with a long name',
    apiUrl: 'https://echo.example/send?x=1',
    clientId: 'good',
    parameters: [{ name: 'a', value: 'b' }],
  };

  it('accepts its type with the common rules and every field', () => {
    expect(
      parseEnvironmentSmsSettings(echo, { customProviders }).settings,
    ).toEqual(echo);
  });

  it('refuses its type when it is not registered', () => {
    expect(problemsOf(() => parseEnvironmentSmsSettings(echo))[0]).toEqual({
      path: 'type',
      message:
        'The field type must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway; "Echo" is not.',
    });
  });

  it("applies the common rules and the provider's own, with the level's paths", () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings(
          { ...echo, apiUrl: 'http://echo.example' },
          { customProviders },
        ),
      ),
    ).toEqual([
      { path: 'apiUrl', message: 'The field apiUrl must use https.' },
    ]);
    expect(
      problemsOf(() =>
        parseSiteSmsSettings(siteShape({ ...echo, clientId: 'bad' }), {
          customProviders,
        }),
      ),
    ).toEqual([
      {
        path: 'Settings:Sms:ClientId',
        message: 'The client id is refused by Echo.',
      },
      {
        path: 'Settings:Sms:Parameters:0:Name',
        message: 'The name is refused by Echo.',
      },
    ]);
  });

  it('reports a provider whose validation throws, without its error text', () => {
    const throwing = Object.assign(new EchoProvider(), {
      validate: () => {
        throw new Error('boom gateway-api-token');
      },
    });
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings(echo, { customProviders: [throwing] }),
      ),
    ).toEqual([
      {
        path: 'settings',
        message: 'The Echo provider could not check these settings.',
      },
    ]);
  });

  it('still refuses unknown keys for a custom type', () => {
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings({ ...echo, extra: 1 }, { customProviders }),
      ),
    ).toEqual([{ path: 'extra', message: 'The key extra is unknown.' }]);
  });

  it('keeps the built-in rules of a type whose strategy is replaced', () => {
    const replacement = Object.assign(new EchoProvider(), {
      type: 'GatewayApi',
    });
    expect(
      problemsOf(() =>
        parseEnvironmentSmsSettings(without(gatewayApi, 'clientSecret'), {
          customProviders: [replacement],
        }),
      ),
    ).toEqual([
      {
        path: 'clientSecret',
        message: 'The field clientSecret is required for GatewayApi.',
      },
    ]);
  });
});

describe('any input (property)', () => {
  const fieldKeys = [
    'type',
    'fromName',
    'apiUrl',
    'parameters',
    'clientId',
    'clientSecret',
    'label',
    'certificatePemCrt',
    'certificatePemKey',
  ];
  const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
  const anyKey = fc.oneof(
    fc.constantFrom(...fieldKeys, ...fieldKeys.map(pascal), 'ClientSecert'),
    fc.string({ maxLength: 12 }),
  );
  const anyType = fc.oneof(
    fc.constantFrom('AccessUrl', 'GatewayApi', 'Smstools', 'TeliaSmsGateway'),
    fc.anything(),
  );
  const anySecret = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/);
  const levels = [
    { parse: parseSiteSmsSettings, key: pascal },
    { parse: parseEnvironmentSmsSettings, key: (k: string) => k },
  ];

  /** Runs a parse and returns everything it said, failing on any error but SmsSettingsError. */
  function said(parse: () => { warnings: string[] }): string {
    try {
      return parse().warnings.join('\n');
    } catch (error) {
      expect(error).toBeInstanceOf(SmsSettingsError);
      return `${(error as Error).message}\n${JSON.stringify((error as SmsSettingsError).problems)}`;
    }
  }

  it('throws nothing but SmsSettingsError and never repeats a secret value', () => {
    fc.assert(
      fc.property(
        fc.dictionary(anyKey, fc.anything(), { maxKeys: 12 }),
        anyType,
        anySecret,
        fc.array(fc.record({ name: fc.anything(), other: fc.anything() }), {
          maxLength: 3,
        }),
        (random, type, secret, parameters) => {
          for (const { parse, key } of levels) {
            const input = {
              ...random,
              [key('type')]: type,
              [key('clientSecret')]: secret,
              [key('certificatePemKey')]:
                `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----`,
              [key('parameters')]: [
                ...parameters.map(({ name, other }) => ({
                  [key('name')]: name,
                  [key('value')]: `${secret}`,
                  [key('other')]: other,
                })),
                {
                  [key('name')]: 'to',
                  [key('value')]: `{phone}${secret}{phon}`,
                },
              ],
            };
            expect(said(() => parse(input))).not.toContain(secret);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws nothing but SmsSettingsError for any value at all', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        for (const { parse } of levels) said(() => parse(input));
      }),
      { numRuns: 300 },
    );
  });
});
