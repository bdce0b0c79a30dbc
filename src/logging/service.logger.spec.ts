import type { MockInstance } from 'vitest';
import { RequestIdContext } from './request-id.context.js';
import { logLevelsFrom, ServiceLogger } from './service.logger.js';

describe('ServiceLogger', () => {
  let written: string[];
  let spy: MockInstance;

  beforeEach(() => {
    written = [];
    spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: unknown) => {
        written.push(String(chunk));
        return true;
      });
  });
  afterEach(() => spy.mockRestore());

  it('writes one JSON object per line, with the fields at the top level and the request id', () => {
    const logger = new ServiceLogger({ format: 'json', level: 'log' });

    RequestIdContext.run('req-7', () =>
      logger.log(
        'SMS sent: provider=Smstools',
        { outcome: 'sent', messageId: null },
        'SmsService',
      ),
    );
    logger.log('outside a request', 'Boot');

    expect(written).toHaveLength(2);
    expect(written.every((line) => line.endsWith('}\n'))).toBe(true);
    const [inside, outside] = written.map(
      (line) => JSON.parse(line) as unknown,
    );
    expect(inside).toEqual({
      level: 'log',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      message: 'SMS sent: provider=Smstools',
      context: 'SmsService',
      outcome: 'sent',
      messageId: null,
      requestId: 'req-7',
    });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('writes text lines without the structured fields, with the request id appended', () => {
    const logger = new ServiceLogger({ format: 'text', level: 'log' });

    RequestIdContext.run('req-8', () =>
      logger.log(
        'SMS sent: provider=Smstools',
        { outcome: 'sent' },
        'SmsService',
      ),
    );

    expect(written).toHaveLength(1);
    expect(written[0]).toContain('SMS sent: provider=Smstools requestId=req-8');
    expect(written[0]).not.toContain('outcome');
  });

  it('writes the configured level and every more severe one', () => {
    expect(logLevelsFrom('error')).toEqual(['fatal', 'error']);
    expect(logLevelsFrom('log')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(logLevelsFrom('verbose')).toEqual([
      'fatal',
      'error',
      'warn',
      'log',
      'debug',
      'verbose',
    ]);
  });
});
