import { ValidateBy, type ValidationArguments } from 'class-validator';

/** True when `value` is a whole number from `min` to `max`. */
export function isWholeNumberIn(
  value: unknown,
  min: number,
  max: number,
): value is number {
  return (
    Number.isInteger(value) &&
    (value as number) >= min &&
    (value as number) <= max
  );
}

/**
 * class-validator: the property is a whole number from `min` to `max`.
 *
 * @param message the sentence for a refused value, given the property's name
 */
export function IsWholeNumberIn(
  min: number,
  max: number,
  message: (property: string) => string,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWholeNumberIn',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => isWholeNumberIn(value, min, max),
      },
    },
    { message: (args: ValidationArguments) => message(args.property) },
  );
}
