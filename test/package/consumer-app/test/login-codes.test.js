// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RecordingSmsService, SmsTestingModule } from '@nest-sms/sms/testing';
import { loginCodesProvider } from '../src/app.module.js';
import { LoginCodes } from '../src/login-codes.js';

/** A feature module of the app that injects `SmsService` without importing an SMS module itself. */
class LoginModule {}
Module({ providers: [loginCodesProvider], exports: [LoginCodes] })(LoginModule);

void test('a login code is recorded by SmsTestingModule.forRoot(), not sent', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [SmsTestingModule.forRoot(), LoginModule],
  }).compile();
  try {
    await moduleRef.get(LoginCodes).sendCode('+45 12 34 56 78', '424242');
    const recorded = moduleRef.get(RecordingSmsService).lastTo('+4512345678');
    assert.equal(recorded?.message, 'Your login code is 424242');
    assert.equal(moduleRef.get(RecordingSmsService).messages.length, 1);
  } finally {
    await moduleRef.close();
  }
});
