import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { classifyDatabaseFailure, openDataSource } from '@cs/persistence';
import { MessagingModule } from '@cs/messaging';
import { AttachmentStore, createObjectStorage, type ObjectStorage } from '@cs/storage';
import { APP_CONFIG, BaseEnv } from './config';

export const SECRET_KEY = Symbol('SECRET_KEY');
/** The ObjectStorage the env names (libs/storage): a local folder or an S3-compatible store. */
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

/**
 * What every app stands on: the validated env (APP_CONFIG), the database (TypeORM DataSource,
 * migrated on boot), the bus (BUS, BusTransport), the secret key for encrypted settings and the
 * object storage for files (OBJECT_STORAGE, and AttachmentStore over it).
 * Embedded mode (no DATABASE_URL / NATS_URL): PGlite in DATA_DIR and the in-process bus.
 */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger('CoreModule');

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot<E extends BaseEnv>(env: E, opts: { app: string; migrate?: boolean } = { app: 'app' }): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        MessagingModule.forRoot({
          natsUrl: env.NATS_URL,
          prefix: env.BUS_PREFIX,
          name: opts.app,
          // The bus waits out a database outage instead of dead-lettering what it could not store.
          failures: { classifiers: [classifyDatabaseFailure], transientRetryMs: env.BUS_TRANSIENT_RETRY_HOURS * 3600_000 },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: env },
        {
          provide: DataSource,
          useFactory: () =>
            openDataSource(
              { databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DB_POOL_SIZE },
              { migrate: opts.migrate ?? true },
            ),
        },
        { provide: SECRET_KEY, useFactory: () => resolveSecretKey(env) },
        {
          provide: OBJECT_STORAGE,
          inject: [SECRET_KEY],
          // A key of its own for download links, derived from SECRET_KEY.
          useFactory: (secretKey: Buffer) =>
            createObjectStorage({ ...env, PUBLIC_URL: (env as { PUBLIC_URL?: string }).PUBLIC_URL }, crypto.createHmac('sha256', secretKey).update('file-links').digest()),
        },
        {
          provide: AttachmentStore,
          inject: [DataSource, OBJECT_STORAGE],
          useFactory: (db: DataSource, storage: ObjectStorage) => new AttachmentStore(db, storage, { linkTtlSeconds: env.FILE_LINK_TTL_SECONDS }),
        },
      ],
      exports: [APP_CONFIG, DataSource, SECRET_KEY, OBJECT_STORAGE, AttachmentStore, MessagingModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy().catch((err: Error) => this.logger.warn(`closing the database: ${err.message}`));
    }
  }
}

/** SECRET_KEY from the env; in the embedded mode, one generated once and kept in DATA_DIR. */
export function resolveSecretKey(env: BaseEnv): Buffer {
  if (env.SECRET_KEY) return crypto.createHash('sha256').update(env.SECRET_KEY).digest();
  if (env.DATABASE_URL) {
    throw new Error('SECRET_KEY is required when DATABASE_URL is set (it encrypts channel secrets at rest)');
  }
  const file = path.resolve(env.DATA_DIR, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return crypto.createHash('sha256').update(fs.readFileSync(file, 'utf8').trim()).digest();
}
