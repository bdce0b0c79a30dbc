import { describe, expect, it } from 'vitest';
import { composeSmsCodeMessage, minutesOf } from './sms-code.message.js';
import {
  renderSmsCodeTemplate,
  unknownSmsCodePlaceholders,
} from './sms-code-templates.js';

describe('code message texts', () => {
  it('puts the values in as plain text: nothing is HTML-encoded', () => {
    const text = renderSmsCodeTemplate(
      '{code} is your {companyName} code ({minutes} min).',
      {
        code: '482913',
        companyName: 'Smith & Sons <"Ltd">',
        minutes: 10,
      },
    );

    expect(text).toBe('482913 is your Smith & Sons <"Ltd"> code (10 min).');
  });

  it('fills every occurrence in one pass, so a company name with {code} in it stays as written', () => {
    const text = renderSmsCodeTemplate('{code} {companyName} {code}', {
      code: '111222',
      companyName: 'We{code}Inc',
      minutes: 5,
    });

    expect(text).toBe('111222 We{code}Inc 111222');
  });

  it('ends with a blank line and the origin-bound line when a domain is configured', () => {
    const values = { code: 'K7M3QX', companyName: 'Acme', minutes: 5 };

    expect(
      composeSmsCodeMessage(
        '{code} is your {companyName} code.',
        values,
        'login.example.com',
      ),
    ).toBe('K7M3QX is your Acme code.\n\n@login.example.com #K7M3QX');
    expect(
      composeSmsCodeMessage(
        '{code} is your {companyName} code.',
        values,
        undefined,
      ),
    ).toBe('K7M3QX is your Acme code.');
  });

  it('finds placeholders that would otherwise go out literally', () => {
    expect(
      unknownSmsCodePlaceholders('{code} {phon} {companyName} {Code} {phon}'),
    ).toEqual(['{phon}', '{Code}']);
    expect(
      unknownSmsCodePlaceholders('{code}, {companyName}, {minutes}'),
    ).toEqual([]);
  });

  it('states whole minutes, rounded down and never zero', () => {
    expect([60, 119, 300, 600, 659].map(minutesOf)).toEqual([1, 1, 5, 10, 10]);
  });
});
