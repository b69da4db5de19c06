import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { createObjectStorage } from '@cs/storage';
import { agentEnvSchema, baseEnvSchema, connectorsEnvSchema, gatewayEnvSchema, loadEnv } from './config';

interface Service {
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}

const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../../docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };

/** `${VAR:-default}` as compose fills it in with nothing set. */
function defaults(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));
}

describe('docker-compose.yml, as the apps read it', () => {
  const minio = compose.services.minio;

  it.each([
    ['gateway', gatewayEnvSchema],
    ['agent', agentEnvSchema],
    ['connectors', connectorsEnvSchema],
    ['migrate', baseEnvSchema],
  ] as const)('gives the %s app a valid env whose files go to the MinIO service with its own keys', (name, schema) => {
    const service = compose.services[name];
    const env = loadEnv(schema, defaults(service.environment ?? {}));

    expect(createObjectStorage(env, Buffer.alloc(32)).kind).toBe('s3');
    expect(new URL(env.S3_ENDPOINT!).hostname).toBe('minio');
    expect(service.depends_on).toHaveProperty('minio');
    const root = defaults(minio.environment ?? {});
    expect([env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]).toEqual([root.MINIO_ROOT_USER, root.MINIO_ROOT_PASSWORD]);
  });

  it('publishes MinIO where browsers are sent by the signed links', () => {
    const env = defaults(compose.services.gateway.environment ?? {});
    const port = new URL(env.S3_PUBLIC_ENDPOINT).port;
    expect(minio.image).toMatch(/^minio\/minio/);
    expect((minio as { ports?: string[] }).ports).toContain(`${port}:9000`);
  });
});
