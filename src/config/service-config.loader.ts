import { API_KEY_SCOPES } from '../auth/api-key.scopes.js';
import { generateApiKey } from './api-key.generator.js';
import { positionalApiKeyName } from './api-keys.reader.js';
import {
  readListenAddress,
  type ListenAddress,
} from './listen-address.reader.js';
import { ServiceConfigError } from './service-config.error.js';
import type { ServiceConfig } from './service-config.interface.js';
import { validateServiceSettings } from './service-config.validator.js';
import { readSettingsDocument } from './settings-document.reader.js';
import { overlayEnvironmentVariables } from './settings-environment.overlay.js';
import { canonicalSettingsSection } from './settings-key.canonicalizer.js';

/** The service's configuration, where it listens, and where both were read from. */
export interface LoadedServiceConfig {
  config: ServiceConfig;
  listen: ListenAddress;
  /** The file read, and whether environment variables were applied: for the start-up message. */
  sources: string[];
}

/**
 * Loads the configuration: the JSON file (`SETTINGS_FILE`, else `./appsettings.json` when present),
 * then the `Settings__...` environment variables over it; validates every key; generates an API key
 * when none is configured.
 *
 * @throws ServiceConfigError naming every bad key, when the configuration cannot be used
 */
export function loadServiceConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): LoadedServiceConfig {
  const file = readSettingsDocument(env, cwd);
  const overlay = overlayEnvironmentVariables(file.content, env);
  const sources = [
    ...(file.file ? [file.file] : []),
    ...(overlay.applied.length > 0 ? ['environment variables'] : []),
  ];
  const canonical = canonicalSettingsSection(overlay.document);
  const validated = validateServiceSettings(canonical.settings, cwd);
  const address = readListenAddress(env);
  const problems = [
    ...overlay.problems,
    ...canonical.problems,
    ...validated.problems,
    ...address.problems,
  ];
  if (problems.length > 0) throw new ServiceConfigError(problems, sources);

  const configured = validated.config.api.keys;
  const keyGenerated = configured.length === 0;
  return {
    config: {
      ...validated.config,
      api: {
        ...validated.config.api,
        keys: keyGenerated
          ? [
              {
                name: positionalApiKeyName(0),
                key: generateApiKey(),
                scopes: [...API_KEY_SCOPES],
              },
            ]
          : configured,
        keyGenerated,
      },
    },
    listen: address.listen,
    sources,
  };
}
