import { z } from 'zod';

/**
 * Environment, validated once at boot: a missing or malformed variable stops the app with a
 * message naming it. One schema for what every app shares; apps extend it with their own.
 */
export const baseEnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** postgres://... Unset: PGlite in DATA_DIR (embedded mode). */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** nats://... Unset: the in-process bus (embedded mode; only valid when everything runs in one process). */
  NATS_URL: z.string().optional(),
  /** First token of every bus subject; lets several deployments or test runs share one NATS. */
  BUS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('cs'),
  /**
   * How long a bus message whose handler fails because the database or the bus is unreachable is
   * retried before it is dead-lettered anyway (an outage is waited out; a bad message is not).
   */
  BUS_TRANSIENT_RETRY_HOURS: z.coerce.number().positive().default(24),
  /** 32+ characters; encrypts channel secrets at rest. Embedded mode generates one in DATA_DIR. */
  SECRET_KEY: z.string().min(32).optional(),
  /**
   * Where files (attachments, exports) are kept: `local`, a folder (FILES_DIR, default
   * DATA_DIR/files; every process must see the same one), or `s3`, any S3-compatible store.
   */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  FILES_DIR: z.string().optional(),
  /** The bucket (created on first use when missing). Required with STORAGE_DRIVER=s3. */
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3-63 lower-case letters, digits, dots, hyphens').optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** Unset: AWS S3. MinIO and other S3-compatible stores: their URL, e.g. http://minio:9000. */
  S3_ENDPOINT: z.string().url().optional(),
  /** The store's URL as browsers reach it, when it differs from S3_ENDPOINT: signed links are made for it. */
  S3_PUBLIC_ENDPOINT: z.string().url().optional(),
  /** Path-style requests (host/bucket/key): what MinIO and most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  /** Unset: the AWS SDK's default chain (environment, instance role...). */
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** How long the signed links staff get to a file work. */
  FILE_LINK_TTL_SECONDS: z.coerce.number().int().min(10).max(7 * 24 * 3600).default(300),
  /** A file no message names (its message was never stored) is deleted once this old. */
  FILE_ORPHAN_GRACE_HOURS: z.coerce.number().min(1).max(24 * 365).default(24),
  /** How often the agent looks for such files; 0 turns the sweep off. */
  FILE_ORPHAN_SWEEP_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
});

export const gatewayEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The public base URL vendors call (webhook signatures cover it). */
  PUBLIC_URL: z.string().url().optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  /**
   * Outbound (tenant) webhooks may target loopback, private, link-local... addresses. Off: a tenant
   * could otherwise make the gateway call the cloud metadata service or internal hosts. For
   * development and tests that deliver to a local receiver only.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false']).default('false'),
  /** Outbound webhooks may use plain http instead of https (development, tests, a trusted network). */
  WEBHOOK_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
  /** The largest file a customer may send from the web-chat widget (pictures and PDFs). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Where the staff's notification emails go out (`smtp://user:pass@host:587`, `smtps://...`); unset: no emails. */
  SMTP_URL: z.string().url().optional(),
  /** The From of the staff's notification emails. */
  NOTIFY_FROM: z.string().default('Support console <no-reply@localhost>'),
  /** How often the helpdesk jobs (auto-close, SLA breaches) run; every gateway process runs them, safely. */
  HELPDESK_JOB_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
});

export const agentEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('0.0.0.0'),
  AGENT_CONCURRENCY: z.coerce.number().int().positive().default(64),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  MODELS_DIR: z.string().optional(),
  /** Embeddings: `use-lite` (default, offline), `transformers` (a model folder in MODELS_DIR) or `openai`. */
  EMBEDDINGS_PROVIDER: z.enum(['use-lite', 'transformers', 'openai']).optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().positive().optional(),
  /**
   * Trained intent models between starts, keyed by a hash of their examples: a restart loads instead
   * of training. Unset: `<tmp>/cs-agent-cache/intent-models` (the agent applies it, as the gateway's
   * test apps host the agent with the gateway's env).
   */
  INTENT_MODEL_CACHE_DIR: z.string().optional(),
  /** How often each tenant's intent model is retrained from relabels and confirmed resolutions (issue 18); 0: only on demand. */
  INTENT_RETRAIN_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  /** How often an agent process looks for a queued retraining to claim (one process trains each). */
  INTENT_RETRAIN_POLL_SECONDS: z.coerce.number().positive().default(30),
  /** Knowledge-base vectors shared by the processes of a machine (never customer text); `off` disables it. Unset: `<tmp>/cs-agent-cache/chunk-vectors.bin`. */
  CHUNK_VECTOR_CACHE: z.string().optional(),
});

/** A URL that is an origin: scheme, host and port, nothing after them. */
function originOnly(url: string): boolean {
  const parsed = new URL(url);
  return parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username;
}

export const connectorsEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  CHANNELS_FILE: z.string().optional(),
  /**
   * Twilio's REST API base (default https://api.twilio.com): a proxy, or a test server. Scheme, host
   * and port only: every Twilio path (`/2010-04-01/Accounts/...`, media URLs) is appended to it.
   */
  TWILIO_API_BASE_URL: z
    .string()
    .url()
    .refine((url) => originOnly(url), 'scheme, host and port only, e.g. http://127.0.0.1:4010 (no path: Twilio paths are appended to it)')
    .optional(),
  /** Phone calls: the Whisper API for speech to text when set (else offline pocketsphinx). */
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  WHISPER_MODEL: z.string().optional(),
  /** Phone calls: ElevenLabs for text to speech when a key and a voice are set (else offline flite / espeak-ng). */
  ELEVENLABS_API_KEY: z.string().optional(),
  ELEVENLABS_BASE_URL: z.string().url().optional(),
  ELEVENLABS_VOICE_ID: z.string().optional(),
  ELEVENLABS_MODEL: z.string().optional(),
  /** Slack's Web API base (default https://slack.com/api/): a proxy, or the fake Slack in tests. Ends in `/api`: method names are appended to it. */
  SLACK_API_URL: z
    .string()
    .url()
    .refine((url) => /\/api\/?$/.test(new URL(url).pathname), 'must end in /api, e.g. https://slack.com/api (Slack method names are appended to it)')
    .optional(),
  /** The shop-wide Slack app for OAuth installs (multi-tenant); self-hosted single workspaces need none of these. */
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** Signs the OAuth `state`; derived from SECRET_KEY when unset. */
  SLACK_STATE_SECRET: z.string().min(16).optional(),
});

export const embeddedEnvSchema = gatewayEnvSchema.merge(agentEnvSchema.omit({ PORT: true, HOST: true })).merge(
  connectorsEnvSchema.omit({ PORT: true, HOST: true, PUBLIC_URL: true }),
).extend({
  DEMO_API_KEY: z.string().min(16).optional(),
  DEMO_ADMIN_EMAIL: z.string().email().optional(),
  DEMO_ADMIN_PASSWORD: z.string().min(8).optional(),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export type AgentEnv = z.infer<typeof agentEnvSchema>;
export type ConnectorsEnv = z.infer<typeof connectorsEnvSchema>;
export type EmbeddedEnv = z.infer<typeof embeddedEnvSchema>;

export class ConfigError extends Error {}

/** Parse `env` with `schema`; on failure throw one error listing every bad variable. */
export function loadEnv<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A variable a config file names (`${IMAP_PASSWORD}` in CHANNELS_FILE). */
export const fileVariableNameSchema = z.string().regex(/^[A-Z0-9_]+$/i);

/**
 * The variables a config file names, read from the environment when the file is loaded (so a
 * value set after boot counts). Their names are the file's, not an app's, so no app schema can
 * list them: this is the one place they are read. `missing`: the names that are not set.
 */
export function readFileVariables(names: Iterable<string>, env: NodeJS.ProcessEnv = process.env): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of new Set(names)) {
    fileVariableNameSchema.parse(name);
    const value = env[name];
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  return { values, missing };
}
