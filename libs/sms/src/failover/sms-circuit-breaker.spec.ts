import { SmsCircuitBreaker } from './sms-circuit-breaker.js';

describe('SmsCircuitBreaker', () => {
  let clock = 0;
  const breaker = () =>
    new SmsCircuitBreaker({
      threshold: 3,
      cooldownMs: 1_000,
      now: () => clock,
    });
  beforeEach(() => {
    clock = 0;
  });

  it('opens after `threshold` eligible failures in a row, for `cooldownMs`', () => {
    const circuits = breaker();
    const primary = {};
    expect(circuits.failed(primary, true)).toBe(false);
    expect(circuits.failed(primary, true)).toBe(false);
    expect(circuits.allows(primary)).toBe(true);
    expect(circuits.failed(primary, true)).toBe(true);
    expect(circuits.allows(primary)).toBe(false);
    clock = 999;
    expect(circuits.allows(primary)).toBe(false);
  });

  it('lets one trial through after the cool-off; a success closes the circuit', () => {
    const circuits = breaker();
    const primary = {};
    for (let i = 0; i < 3; i++) circuits.failed(primary, true);
    clock = 1_000;
    expect(circuits.allows(primary)).toBe(true);
    expect(circuits.allows(primary)).toBe(false);
    expect(circuits.succeeded(primary)).toBe(true);
    expect(circuits.allows(primary)).toBe(true);
    expect(circuits.succeeded(primary)).toBe(false);
  });

  it('opens again for another cool-off when the trial fails in any way', () => {
    const circuits = breaker();
    const primary = {};
    for (let i = 0; i < 3; i++) circuits.failed(primary, true);
    clock = 1_000;
    expect(circuits.allows(primary)).toBe(true);
    expect(circuits.failed(primary, false)).toBe(true);
    clock = 1_999;
    expect(circuits.allows(primary)).toBe(false);
    clock = 2_000;
    expect(circuits.allows(primary)).toBe(true);
  });

  it('counts failures in a row only: a success or a failure that does not fail over ends the run', () => {
    const circuits = breaker();
    const primary = {};
    circuits.failed(primary, true);
    circuits.failed(primary, true);
    circuits.succeeded(primary);
    circuits.failed(primary, true);
    circuits.failed(primary, true);
    circuits.failed(primary, false);
    circuits.failed(primary, true);
    expect(circuits.failed(primary, true)).toBe(false);
    expect(circuits.allows(primary)).toBe(true);
  });

  it('keeps one circuit per settings object', () => {
    const circuits = breaker();
    const down = {};
    for (let i = 0; i < 3; i++) circuits.failed(down, true);
    expect(circuits.allows(down)).toBe(false);
    expect(circuits.allows({})).toBe(true);
  });
});
