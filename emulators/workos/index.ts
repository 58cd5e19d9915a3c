// Public surface of the local WorkOS emulator (tests, the demo, the CLI).
export { startWorkosEmulator, type WorkosEmulator } from './server';
export type { EmulatorControl, ControlSession, ControlUser, StoredAuditEvent } from './control';
export {
  DEFAULT_API_KEY,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLI_PORT,
  EmulatorOptionError,
  type ClaimsMode,
  type EmulatorConfig,
  type EmulatorObserver,
  type RateLimits,
  type SignInMfa,
  type WebhookTarget,
  type WorkosEmulatorOptions,
} from './options';
export {
  DEFAULT_SEED_PATH,
  loadSeed,
  parseSeed,
  SeedError,
  type Seed,
  type SeedUser,
  type SeedOrganization,
} from './seed';
export { ACR_MFA, ACR_PASSWORD, AMR_PASSWORD, AMR_PASSWORD_TOTP } from './assurance';
export { ACCESS_TOKEN_TTL_SECONDS } from './lifetimes';
export { signWebhook } from './webhook-signature';
export type { WebhookDelivery } from './webhook-dispatcher';
export { authkitEnv, type AuthkitEnvOptions } from './app-env';
