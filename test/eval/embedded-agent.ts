import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CoreModule, agentEnvSchema, loadEnv } from '@cs/config';
import { AgentModule } from '@cs/agent';

/**
 * The agent module in embedded mode, as `npm start` runs it: PGlite in `dbDir` and the in-process
 * bus; no language model. The embedding model is chosen from the process env as the agent chooses it;
 * never a model endpoint.
 */
export async function startEmbeddedAgent(dbDir: string): Promise<INestApplication> {
  const { DATABASE_URL: _db, NATS_URL: _bus, LLM_BASE_URL: _llm, ...rest } = process.env;
  const env = loadEnv(agentEnvSchema, { ...rest, DATA_DIR: dbDir, LOG_LEVEL: 'error' });
  const moduleRef = await Test.createTestingModule({ imports: [CoreModule.forRoot(env, { app: 'agent' }), AgentModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}
