// The provider registry a daemon started by the CLI gets: the built-in connectors. The engine ships none of its own,
// so every test that starts a daemon or validates a document against the real providers builds it here.
import { builtInProviders } from '../../electron/connectors/index.js';
import { ProviderRegistry } from '../../electron/engine/providers.js';

export function builtInProviderRegistry(): ProviderRegistry {
  return new ProviderRegistry(builtInProviders);
}
