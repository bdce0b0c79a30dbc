import fc from 'fast-check';
import { normalizePhoneNumber } from './phone-number.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';

const E164 = /^\+[1-9]\d{1,14}$/;
const RUNS = 500;

/** Normalises the input and returns the E.164 form, or undefined when it was refused as it should be. */
function normalizedOrRefused(input: unknown): string | undefined {
  try {
    return normalizePhoneNumber(input).e164;
  } catch (error) {
    expect(error).toBeInstanceOf(SmsValidationError);
    expect((error as SmsValidationError).field).toBe('phone');
    return undefined;
  }
}

/** Text that looks like a phone number as people write it: digits with separators, maybe a `+`. */
const phoneLike = fc
  .tuple(
    fc.constantFrom('', '+', ' +', '++', '+0', '00'),
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 0, max: 9 }).map(String) },
        fc.constantFrom(
          ' ',
          '-',
          '.',
          '(',
          ')',
          '\t',
          '\n',
          '/',
          'x',
          '٣',
          '\u00a0',
        ),
      ),
      { maxLength: 24 },
    ),
  )
  .map(([prefix, parts]) => prefix + parts.join(''));

/** Numbers that are valid in their country, so that accepted outputs are drawn often. */
const knownGood = fc
  .tuple(
    fc.constantFrom(
      '+45',
      '+1',
      '+44',
      '+46',
      '+49',
      '+33',
      '+47',
      '+358',
      '+81',
      '+61',
    ),
    fc.integer({ min: 2, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 10 }),
  )
  .map(([country, first, rest]) => `${country} ${first}${rest.join('')}`);

const anyInput = fc.oneof(
  phoneLike,
  knownGood,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.anything(),
);

describe('normalizePhoneNumber, for any input', () => {
  it('throws nothing but SmsValidationError for the phone field', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        normalizedOrRefused(input);
      }),
      { numRuns: RUNS },
    );
  });

  it('only ever accepts E.164, with digits and country that agree with it', () => {
    let accepted = 0;
    // Mostly numbers of known countries: an unweighted draw reached the accepting branch in only
    // about one run in ten, so the coverage check below failed now and then.
    const mostlyGood = fc.oneof(
      { weight: 3, arbitrary: knownGood },
      { weight: 1, arbitrary: anyInput },
    );
    fc.assert(
      fc.property(mostlyGood, (input) => {
        let normalized: ReturnType<typeof normalizePhoneNumber>;
        try {
          normalized = normalizePhoneNumber(input);
        } catch {
          return;
        }
        accepted += 1;
        expect(normalized.e164).toMatch(E164);
        expect(normalized.digits).toBe(normalized.e164.slice(1));
      }),
      { numRuns: RUNS },
    );
    // The generators must reach the accepting branch, or the property says nothing.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it('gives back its own output unchanged', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const once = normalizedOrRefused(input);
        if (once === undefined) return;
        expect(normalizePhoneNumber(once).e164).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts a number however its separators are placed', () => {
    fc.assert(
      fc.property(
        knownGood,
        fc.array(fc.constantFrom(' ', '-', '.', '(', ')'), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (number, separators, positions) => {
          const plain = normalizedOrRefused(number);
          fc.pre(plain !== undefined);
          const chars = [...number];
          separators.forEach((separator, i) => {
            // Never before the `+`: a separator there is outside the E.164 form after trimming.
            const at = 1 + ((positions[i] ?? 0) % chars.length);
            chars.splice(at, 0, separator);
          });
          expect(normalizedOrRefused(`  ${chars.join('')}  `)).toBe(plain);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
