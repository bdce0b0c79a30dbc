import { randomBytes } from 'node:crypto';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import type { SmsSettings } from '@app/sms';
import { createCertificateAuthority } from '../../sandbox/certificates.js';
import {
  createEncryptionKeyRing,
  parseEncryptionKey,
  type EncryptionKey,
  type EncryptionKeyRing,
} from '../../src/encryption/encryption-key.ring.js';
import type { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import { SettingsDecryptionError } from '../../src/database/store.errors.js';

/** One empty database for one test, and ways to look inside it. */
export interface ContractDatabase {
  /** Opens a store instance on this database; several may be open at once. */
  open(keyRing: EncryptionKeyRing): Promise<EnvironmentSettingsStore>;
  /** Every value of every row of every table, and for a file database its raw bytes, as text. */
  dump(): Promise<string>;
  /** Runs one SQL statement directly, as an attacker with write access to the database could. */
  execute(sql: string): Promise<void>;
  /** Runs the store's migrations again; returns the versions applied. */
  migrate(): Promise<number[]>;
  /** The versions listed in `schema_migrations`. */
  appliedVersions(): Promise<number[]>;
  /** Removes the database. */
  destroy(): Promise<void>;
}

/** How a store implementation is put through the contract. */
export interface ContractHarness {
  createDatabase(): Promise<ContractDatabase>;
  /**
   * True when a change by another instance is seen on the very next `get` (SQLite); false when it
   * arrives shortly after, by notification (PostgreSQL).
   */
  seesOtherInstancesImmediately: boolean;
}

const newKey = (): EncryptionKey =>
  parseEncryptionKey(randomBytes(32).toString('base64'), 'test key');

/** Environment names unique to a test, so that tests sharing a server never see each other's notices. */
const environmentName = (label: string) =>
  `${label}-${randomBytes(4).toString('hex')}`;

/**
 * The behaviour every {@link EnvironmentSettingsStore} must have: round trips, replacement,
 * deletion, caching by identity, changes made by another instance, encryption at rest, key
 * rotation and migrations.
 */
export function describeEnvironmentSettingsStoreContract(
  describeFn: typeof describe | typeof describe.skip,
  name: string,
  harness: () => ContractHarness,
): void {
  describeFn(name, () => {
    const key = newKey();
    const keyRing = createEncryptionKeyRing(key);
    const open: EnvironmentSettingsStore[] = [];
    let database: ContractDatabase;
    let clientKeyPem: string;
    let clientCertificatePem: string;

    const openStore = async (ring: EncryptionKeyRing = keyRing) => {
      const store = await database.open(ring);
      open.push(store);
      return store;
    };

    const gatewayApi = (): SmsSettings => ({
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gatewayapi.example/rest/mtsms',
      clientSecret: `gw-token-${randomBytes(12).toString('hex')}`,
      label: 'login',
    });
    const accessUrl = (): SmsSettings => ({
      type: 'AccessUrl',
      fromName: 'Acme',
      apiUrl: 'https://access.example/sms/',
      parameters: [
        { name: 'username', value: 'acme-user-7731' },
        { name: 'password', value: `pw-${randomBytes(12).toString('hex')}` },
        { name: 'recipient', value: '{phone}' },
        { name: 'from', value: '{fromName}' },
        { name: 'message', value: 'Code: {message}' },
        // A fixed secret beside a placeholder is a secret too.
        {
          name: 'auth',
          value: `user:Hidden${randomBytes(6).toString('hex')}{fromName}`,
        },
      ],
    });
    const gatewayApiWithQuery = (): SmsSettings => ({
      ...gatewayApi(),
      apiUrl: `https://gatewayapi.example/rest/mtsms?token=q-${randomBytes(12).toString('hex')}`,
    });
    const telia = (): SmsSettings => ({
      type: 'TeliaSmsGateway',
      fromName: 'Acme',
      apiUrl:
        'https://telia.example:12123/messaging/v1/outbound/12345/requests',
      clientId: '12345',
      clientSecret: `telia-key-${randomBytes(12).toString('hex')}`,
      certificatePemCrt: clientCertificatePem,
      certificatePemKey: clientKeyPem,
    });

    beforeAll(async () => {
      const authority = await createCertificateAuthority({
        commonName: 'Store test',
      });
      clientCertificatePem = authority.certificatePem;
      clientKeyPem = authority.privateKeyPem;
    });

    beforeEach(async () => {
      database = await harness().createDatabase();
    });

    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
      await database.destroy();
    });

    it('returns what was put, for each provider type', async () => {
      const store = await openStore();
      for (const settings of [gatewayApi(), accessUrl(), telia()]) {
        const environment = environmentName(settings.type.toLowerCase());
        await store.put(environment, settings);
        expect(await store.get(environment)).toEqual(settings);
        // A fresh instance reads the database, not a cache.
        const other = await openStore();
        expect(await other.get(environment)).toEqual(settings);
      }
    });

    it('answers undefined for an environment without settings', async () => {
      const store = await openStore();
      expect(await store.get(environmentName('none'))).toBeUndefined();
    });

    it('tells whether a put created the settings or replaced them', async () => {
      const store = await openStore();
      const environment = environmentName('created');
      expect(await store.put(environment, gatewayApi())).toEqual({
        created: true,
      });
      expect(await store.put(environment, gatewayApi())).toEqual({
        created: false,
      });
    });

    it('replaces settings as a whole: no field of the previous settings survives', async () => {
      const store = await openStore();
      const environment = environmentName('replace');
      await store.put(environment, telia());
      const replacement = accessUrl();
      await store.put(environment, replacement);
      const read = await store.get(environment);
      expect(read).toEqual(replacement);
      expect(read).not.toHaveProperty('clientSecret');
      expect(read).not.toHaveProperty('certificatePemKey');
    });

    it('deletes settings, and says whether there were any', async () => {
      const store = await openStore();
      const environment = environmentName('delete');
      await store.put(environment, gatewayApi());
      expect(await store.get(environment)).toBeDefined();
      expect(await store.delete(environment)).toBe(true);
      expect(await store.get(environment)).toBeUndefined();
      expect(await store.delete(environment)).toBe(false);
    });

    it('returns the same frozen object until the settings change', async () => {
      const store = await openStore();
      const environment = environmentName('cache');
      await store.put(environment, accessUrl());
      const first = await store.get(environment);
      expect(await store.get(environment)).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen(first?.parameters?.[0])).toBe(true);

      const changed = { ...gatewayApi(), fromName: 'Changed' };
      await store.put(environment, changed);
      const second = await store.get(environment);
      expect(second).not.toBe(first);
      expect(second).toEqual(changed);
      expect(await store.get(environment)).toBe(second);
    });

    it('sees a change made by another instance on the same database', async () => {
      const reader = await openStore();
      const writer = await openStore();
      const environment = environmentName('shared');
      const untouched = environmentName('untouched');
      await writer.put(untouched, gatewayApi());
      expect(await reader.get(environment)).toBeUndefined();
      const kept = await reader.get(untouched);

      const settings = telia();
      await writer.put(environment, settings);
      await expectSeen(() => reader.get(environment), settings);

      const replaced = accessUrl();
      await writer.put(environment, replaced);
      await expectSeen(() => reader.get(environment), replaced);

      await writer.delete(environment);
      await expectSeen(() => reader.get(environment), undefined);

      // Other environments' objects survive: what the library prepared for them stays in use.
      expect(await reader.get(untouched)).toBe(kept);
    });

    it('keeps no secret in clear in the database, after a put and after a delete', async () => {
      const store = await openStore();
      const settings = [
        gatewayApi(),
        accessUrl(),
        telia(),
        gatewayApiWithQuery(),
      ];
      const environments = settings.map(() => environmentName('secret'));
      for (const [index, item] of settings.entries())
        await store.put(environments[index], item);
      const secrets = [
        settings[0].clientSecret!,
        settings[1].parameters![0].value,
        settings[1].parameters![1].value,
        'Code: ',
        settings[1].parameters![5].value.replace('{fromName}', ''),
        settings[2].clientSecret!,
        settings[2].certificatePemKey!,
        ...settings[2]
          .certificatePemKey!.split('\n')
          .filter((line) => line.length > 16 && !line.startsWith('-----')),
        settings[3].apiUrl.split('?')[1],
        settings[3].apiUrl.split('=')[1],
      ];
      const afterPut = await database.dump();
      for (const environment of environments) await store.delete(environment);
      const afterDelete = await database.dump();

      // The dump is real: the clear fields are in it.
      expect(afterPut).toContain('gatewayapi.example');
      expect(afterPut).toContain('username');
      for (const secret of secrets) {
        expect(afterPut).not.toContain(secret);
        expect(afterDelete).not.toContain(secret);
      }
      // What was put comes back whole.
      const again = environmentName('secret');
      await store.put(again, settings[3]);
      expect(await store.get(again)).toEqual(settings[3]);
    });

    it('refuses to read with a key that is not the one that wrote, naming the key id', async () => {
      const environment = environmentName('wrong-key');
      await (await openStore()).put(environment, gatewayApi());
      const other = await openStore(createEncryptionKeyRing(newKey()));
      const error = await other
        .get(environment)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SettingsDecryptionError);
      expect((error as Error).message).toContain(key.id);
      expect((error as Error).message).toContain(
        'Settings:Security:PreviousEncryptionKeys',
      );
      expect((error as Error).message).not.toContain(
        key.key.toString('base64'),
      );
    });

    it('refuses settings whose clear fields were altered in the database', async () => {
      const environment = environmentName('tampered');
      const store = await openStore();
      await store.put(environment, gatewayApi());
      await database.execute(
        "UPDATE environment_settings SET settings = replace(settings, 'gatewayapi.example', 'attacker.example')",
      );
      const reader = await openStore();
      await expect(reader.get(environment)).rejects.toThrow(
        /could not be decrypted/,
      );
    });

    it('reads settings written with a previous key, and writes new ones with the current key', async () => {
      const environment = environmentName('rotation');
      const written = gatewayApi();
      await (await openStore()).put(environment, written);

      const next = newKey();
      const rotated = await openStore(createEncryptionKeyRing(next, [key]));
      expect(await rotated.get(environment)).toEqual(written);

      await rotated.put(environment, written);
      expect(await database.dump()).toContain(next.id);
      const onlyNext = await openStore(createEncryptionKeyRing(next));
      expect(await onlyNext.get(environment)).toEqual(written);
    });

    it('applies its migrations once, however often it is opened', async () => {
      await openStore();
      await openStore();
      const versions = await database.appliedVersions();
      expect(versions.length).toBeGreaterThan(0);
      expect(await database.migrate()).toEqual([]);
      expect(await database.appliedVersions()).toEqual(versions);
    });

    async function expectSeen(
      read: () => Promise<SmsSettings | undefined>,
      expected: SmsSettings | undefined,
    ): Promise<void> {
      if (harness().seesOtherInstancesImmediately) {
        expect(await read()).toEqual(expected);
      } else {
        await vi.waitFor(async () => expect(await read()).toEqual(expected), {
          timeout: 10_000,
          interval: 20,
        });
      }
    }
  });
}
