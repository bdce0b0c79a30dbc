import { Test } from '@nestjs/testing';
import { SmsService } from './sms.service.js';
import { Dep } from './dep.js';
it('injects by type', async () => {
  const m = await Test.createTestingModule({ providers: [SmsService, Dep] }).compile();
  expect(m.get(SmsService).dep.v).toBe(42);
});
