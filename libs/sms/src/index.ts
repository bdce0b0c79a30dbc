export * from './sms.module.js';
export * from './sms.service.js';
