/**
 * Every sentence that SMS settings and module options validation produces, in one place.
 *
 * A `field` argument is the field's name as the user wrote it (`ClientSecret` in the site settings,
 * `clientSecret` in an environment's). No sentence carries a setting's value, except the provider
 * type and placeholder names, which are not secret.
 */
export const SmsSettingsMessages = {
  notAnObject: () => 'The SMS settings must be a JSON object.',
  nestedFallback: (key: string) =>
    `The key ${key} is not allowed here: a fallback provider has no fallback of its own.`,
  unknownKey: (key: string, suggestion?: string) =>
    `The key ${key} is unknown${suggestion ? `; did you mean ${suggestion}?` : '.'}`,
  required: (field: string) => `The field ${field} is required.`,
  requiredFor: (field: string, type: string) =>
    `The field ${field} is required for ${type}.`,
  notString: (field: string) => `The field ${field} must be a string.`,
  blank: (field: string) => `The field ${field} must not be blank.`,
  tooLong: (field: string, max: number) =>
    `The field ${field} must be at most ${max} characters.`,
  senderTooLong: (
    field: string,
    type: string,
    max: number,
    maxDigits: number,
  ) =>
    `The field ${field} must be at most ${max} characters for ${type}, or at most ${maxDigits} digits when it is all digits.`,
  controlCharacters: (field: string) =>
    `The field ${field} must not contain line breaks, NUL or other control characters.`,
  notAscii: (field: string) =>
    `The field ${field} must contain only ASCII characters, because it is sent in an HTTP header.`,
  unknownType: (
    field: string,
    type: string,
    known: readonly string[],
    suggestion?: string,
  ) =>
    `The field ${field} must be one of ${known.join(', ')}; "${type}" is not.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,

  apiUrlNotAbsolute: (field: string) =>
    `The field ${field} must be an absolute URL, such as https://provider.example/sms.`,
  apiUrlNotHttps: (field: string) => `The field ${field} must use https.`,
  apiUrlWhitespace: (field: string) =>
    `The field ${field} must not contain spaces or control characters.`,
  apiUrlUserInfo: (field: string) =>
    `The field ${field} must not contain a user name or password.`,
  apiUrlFragment: (field: string) =>
    `The field ${field} must not contain a fragment (#).`,
  apiUrlQuery: (field: string, type: string, parametersField: string) =>
    `The field ${field} must not contain a query string for ${type}; put query parameters in ${parametersField}.`,

  notAnArray: (field: string) => `The field ${field} must be an array.`,
  noParameters: (field: string) =>
    `The field ${field} must contain at least one parameter.`,
  parameterNotAnObject: () =>
    'Each parameter must be an object with a name and a value.',
  missingPlaceholder: (field: string, placeholder: string) =>
    `The field ${field} must have at least one value containing ${placeholder}.`,
  unknownPlaceholder: (
    field: string,
    placeholders: readonly string[],
    known: readonly string[],
  ) =>
    `The field ${field} contains the unknown placeholder${placeholders.length > 1 ? 's' : ''} ${placeholders.join(', ')}; the placeholders are ${known.join(', ')}.`,

  certificateProblem: (field: string, reason: string) =>
    `The field ${field} ${reason}.`,
  certificateOutsideValidity: (field: string, problem: string) =>
    `The certificate in ${field} is outside its validity period (${problem}).`,
  certificateOutsideValidityWarning: (field: string, problem: string) =>
    `The certificate in ${field} is outside its validity period (${problem}); sends with it fail until it is renewed.`,
  maskedValue: (field: string) =>
    `The field ${field} holds a masked value ([redacted]) that matches none of the stored settings; send the value in full.`,
  customValidationFailed: (type: string) =>
    `The ${type} provider could not check these settings.`,

  /** Reasons of {@link inspectClientCertificate}; each completes "The field X ...". */
  certificateReasons: {
    escapedLineBreaks:
      'contains the two characters \\n instead of line breaks; write real line breaks',
    notPemCertificate:
      'is not a PEM X.509 certificate; it must start with -----BEGIN CERTIFICATE-----',
    holdsPrivateKey:
      'contains a private key, which belongs in the private key field only',
    unreadableCertificate: 'cannot be read as an X.509 certificate',
    unreadableDates: 'has validity dates that cannot be read',
    holdsCertificate: 'contains a certificate, not a private key',
    notPemKey:
      'is not a PEM private key; it must start with -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----',
    encryptedKey:
      'is an encrypted private key; give the key without a passphrase (for example from openssl pkey -in key.pem -out plain-key.pem)',
    unreadableKey: 'cannot be read as a private key',
    unsupportedKeyType: (keyType: string) =>
      `holds a key of type ${keyType}; only RSA and EC keys are supported`,
    keyMismatch: 'does not belong to the certificate',
  },
  /** Fragments of {@link certificateValidityProblem}. */
  certificateValidity: {
    expired: (validTo: string) => `expired on ${validTo}`,
    notYetValid: (validFrom: string) => `not valid before ${validFrom}`,
  },
  /** Errors of {@link SmsClientCertificateGuard} at send time. */
  certificateGuard: {
    outsideValidity: (type: string, problem: string) =>
      `The ${type} client certificate is outside its validity period (${problem}); renew the certificate and key in the SMS settings.`,
    unusable: (type: string, field: string, reason: string) =>
      `The ${type} client certificate cannot be used: ${field} ${reason}.`,
  },

  /** Module options. */
  options: {
    notAnObject: () => 'The SMS module options must be an object.',
    positiveInteger: (field: string, max: number) =>
      `The option ${field} must be a positive integer of at most ${max}.`,
    notString: (field: string) => `The option ${field} must be a string.`,
    noGetMethod: (field: string) =>
      `The option ${field} must be an SmsSettingsSource, with a get(environment) method.`,
    notAnArray: (field: string) =>
      `The option ${field} must be an array of SmsProvider instances.`,
    providerType: (field: string) =>
      `The option ${field} must be a non-empty string naming the settings type the provider serves.`,
    providerMethods: (field: string) =>
      `The option ${field} must be an SmsProvider, with the methods buildRequest and readResponse.`,
    duplicateProviderType: (field: string, type: string) =>
      `The option ${field} repeats the type ${type}; give one provider per type.`,
    environmentResolver: (field: string) =>
      `The option ${field} must be { routeParam }, { header }, { hostLabel: true }, a class that extends SmsEnvironmentResolver, or an instance of one.`,
    routeParam: (field: string) =>
      `The option ${field} must be a route parameter name: letters, digits and _, not starting with a digit.`,
    headerName: (field: string) =>
      `The option ${field} must be an HTTP header name, such as X-Environment.`,
  },
} as const;
