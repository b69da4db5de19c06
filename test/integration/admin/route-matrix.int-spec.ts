import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BusSubjects, newId } from '@cs/contracts';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { ChannelAccount, DeadLetter, Experiment, IntentModelVersion, KnowledgeGap, KnowledgeImport, SuggestedArticle, USER_ROLES, type UserRole } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { PUBLIC_KEY, ROLES_KEY } from '../../../apps/gateway/src/admin/auth/roles.decorator';
import { setupOpenApi } from '../../../apps/gateway/src/admin/openapi';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp } from './admin-test-app';

/** The only routes reachable without credentials. Adding one to the product means adding it here, on purpose. */
const PUBLIC_ROUTES = ['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/refresh'];

/**
 * /api/v1 routes that are not the console's: the API channel (issue 2), authenticated by an API key
 * of the tenant. They get the 401 and 404 checks; the role checks do not apply.
 */
const API_CHANNEL_ROUTES = ['GET /api/v1/conversations/:id/messages', 'POST /api/v1/channels/api/messages', 'POST /api/v1/channels/api/conversations/:id/csat'];

/** Server-sent event streams never end: the list check leaves them to live-stream.int-spec.ts. */
const STREAM_ROUTES = ['GET /api/v1/stream'];

/** A body valid for every console route, so that a 404 is not masked by a 400. */
const VALID_BODY = {
  text: 'hello',
  question: 'hello?',
  title: 'A title',
  shortcut: 'a-shortcut',
  label: 'vip',
  body: 'A body',
  name: 'a name',
  intent: 'order_status',
  confidenceThreshold: 0.5,
  contactId: newId(),
  url: 'https://example.test/hook',
  files: [{ name: 'a.md', content: '# A' }],
};

/** Params that name something inside a record (not ids): filled as is, left out of the list-leak check. */
const INNER_PARAMS: Record<string, string> = { versions: '1', labels: 'vip' };

interface Route {
  method: string;
  path: string;
  key: string;
}

interface Policy {
  roles: UserRole[];
  isPublic: boolean;
}

interface Caller {
  label: string;
  role: UserRole | null;
  auth: { Authorization: string };
}

/** Every route as Express actually serves it. */
function routesFromRouter(t: AdminTestApp): Route[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const routes: Route[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on || method === '_all') continue;
      const m = method.toUpperCase();
      routes.push({ method: m, path: layer.route.path, key: `${m} ${layer.route.path}` });
    }
  }
  return routes;
}

/** Who each handler admits, from the decorators Nest saw. */
function policiesFromControllers(t: AdminTestApp): Map<string, Policy> {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const policies = new Map<string, Policy>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const controllerPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, wrapper.metatype) ?? []) as UserRole[];
      const isPublic = Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, wrapper.metatype));
      for (const controllerPath of controllerPaths) {
        for (const methodPath of ([] as string[]).concat(methodPaths)) {
          const path = '/' + [controllerPath, methodPath].flatMap((p) => p.split('/')).filter(Boolean).join('/');
          policies.set(`${method} ${path}`, { roles, isPublic });
        }
      }
    }
  }
  return policies;
}

describe('every console route, read from the router: 401 without credentials, 403 for a role that may not, 404 for another tenant’s ids', () => {
  let t: AdminTestApp;
  let routes: Route[];
  let policies: Map<string, Policy>;
  let callers: Caller[];
  /** Ids of tenant B's records, by the path segment that names the collection. */
  let foreignIds: Record<string, string>;

  beforeAll(async () => {
    // The whole edge (GatewayModule) plus the connectors app, which answers the console over the bus.
    t = await startAdminApp('adminmatrix', { imports: [DiscoveryModule, ConnectorsModule], beforeInit: setupOpenApi, root: 'gateway' });
    routes = routesFromRouter(t).filter((r) => r.path.startsWith('/api/v1/'));
    policies = policiesFromControllers(t);

    const tenantA = (await createTenant(t.db, 'Shop A')).id;
    const tenantB = (await createTenant(t.db, 'Shop B')).id;
    callers = [];
    for (const role of USER_ROLES) {
      const user = await signIn(t, role, role === 'operator' ? null : tenantA);
      callers.push({ label: role, role, auth: user.auth });
    }
    const owner = callers.find((c) => c.role === 'owner') as Caller;
    for (const scopes of [['channel:api'], ['agent'], ['admin']]) {
      const key = await t.http().post('/api/v1/api-keys').set(owner.auth).send({ name: scopes[0], scopes }).expect(201);
      const role = scopes[0] === 'channel:api' ? null : (scopes[0] as UserRole);
      callers.push({ label: `API key [${scopes}]`, role, auth: { Authorization: `Bearer ${key.body.key}` } });
    }

    const ownerB = await signIn(t, 'owner', tenantB);
    const keyB = await t.http().post('/api/v1/api-keys').set(ownerB.auth).send({ name: 'b' }).expect(201);
    const articleB = await t.http().post('/api/v1/knowledge/articles').set(ownerB.auth).send({ title: 'B only', body: 'Secret of B.' }).expect(201);
    const conversationB = (await seedConversation(t.db, tenantB, { text: 'B customer question' })).conversation;
    const accountB = await t.db.manager.save(
      t.db.manager.create(ChannelAccount, { id: newId(), tenantId: tenantB, connectorId: 'webchat', name: 'B widget', settings: {}, publicKey: `wk_${newId()}` }),
    );
    const webhookB = await t.http().post('/api/v1/webhooks').set(ownerB.auth).send({ url: 'https://b.example.test/hook' }).expect(201);
    const importB = await t.http().post('/api/v1/knowledge/imports').set(ownerB.auth).send({ files: [{ name: 'b.md', content: '# B' }] }).expect(202);
    await waitFor(async () => (await t.db.manager.findOneByOrFail(KnowledgeImport, { id: importB.body.id })).status !== 'running');
    const intentExamples = ['where is my gift', 'gift status', 'did my gift arrive', 'track the gift', 'gift delivery'];
    await t.http().post('/api/v1/intents').set(ownerB.auth).send({ name: 'b_only_intent', examples: intentExamples }).expect(201);
    const deadLetterB = await t.db.manager.save(
      t.db.manager.create(DeadLetter, {
        id: newId(), tenantId: tenantB, consumer: 'agent', originalSubject: BusSubjects.msgIn('api', tenantB), reason: 'B only', kind: 'content',
        deliveryCount: 5, envelope: { id: newId(), tenantId: tenantB }, deadLetteredAt: new Date(), sourceKey: `b:${newId()}`,
      }),
    );
    const gapB = await t.db.manager.save(
      t.db.manager.create(KnowledgeGap, {
        id: newId(), tenantId: tenantB, label: 'B only gap', embeddingModel: 'use-lite', centroid: [1, 0], vectorSum: [1, 0], size: 1, channels: { api: 1 },
        firstSeenAt: new Date(), lastSeenAt: new Date(),
      }),
    );
    const suggestionB = await t.db.manager.save(
      t.db.manager.create(SuggestedArticle, { id: newId(), tenantId: tenantB, source: 'gap', title: 'B only draft', body: 'B only.', gapId: gapB.id }),
    );
    const experimentB = await t.db.manager.save(
      t.db.manager.create(Experiment, { id: newId(), tenantId: tenantB, name: 'B only test', setting: 'brandVoice', arms: [{ name: 'a', weight: 1, value: null }, { name: 'b', weight: 1, value: 'B.' }], status: 'stopped', startedAt: new Date() }),
    );
    const teamB = await t.http().post('/api/v1/teams').set(ownerB.auth).send({ name: 'B only team', memberIds: [ownerB.userId] }).expect(201);
    const modelVersionB = await t.db.manager.save(
      t.db.manager.create(IntentModelVersion, { id: newId(), tenantId: tenantB, status: 'rejected', trigger: 'manual', examples: [{ text: 'B only', intent: 'order_status' }], reason: 'B only' }),
    );
    const cannedB = await t.http().post('/api/v1/canned-responses').set(ownerB.auth).send({ shortcut: 'b-only', title: 'B only', body: 'Hi {{contact.name}}' }).expect(201);
    // An action tenant B's agent parked for approval (the approval queue).
    const parkedB = newId();
    await t.db.query(
      `INSERT INTO action_calls (id, tenant_id, conversation_id, backend_id, action, idempotency_key, request, status) VALUES ($1, $2, $3, 'shopify', 'cancel_order', $4, '{"order":"#B1"}', 'awaiting_approval')`,
      [parkedB, tenantB, conversationB.id, newId()],
    );
    foreignIds = {
      'action-approvals': parkedB,
      'api-keys': keyB.body.id,
      'canned-responses': cannedB.body.id,
      'dead-letters': deadLetterB.id,
      articles: articleB.body.id,
      'channel-accounts': accountB.id,
      contacts: conversationB.contactId,
      conversations: conversationB.id,
      experiments: experimentB.id,
      gaps: gapB.id,
      suggestions: suggestionB.id,
      imports: importB.body.id,
      intents: 'b_only_intent',
      teams: teamB.body.id,
      'intent-models': modelVersionB.id,
      tenants: tenantB,
      users: ownerB.userId,
      webhooks: webhookB.body.id,
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  function call(route: Route, path: string, auth?: { Authorization: string }) {
    const req = t.http()[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](path);
    if (auth) req.set(auth);
    return route.method === 'GET' || route.method === 'DELETE' ? req : req.send(VALID_BODY);
  }

  /** The route's path with its params filled: tenant B's ids when `foreign`, else ids that exist nowhere. */
  function fill(route: Route, foreign: boolean): string | null {
    const segments = route.path.split('/');
    let missing = false;
    const filled = segments.map((segment, i) => {
      if (!segment.startsWith(':')) return segment;
      if (!foreign) return newId();
      const id = foreignIds[segments[i - 1]] ?? INNER_PARAMS[segments[i - 1]];
      if (!id) missing = true;
      return id;
    });
    return missing ? null : filled.join('/');
  }

  const isChannelRoute = (route: Route) => API_CHANNEL_ROUTES.includes(route.key);
  const consoleRoutes = () => routes.filter((r) => !isChannelRoute(r));

  it('finds every /api/v1 route in the router: the console’s each with a policy, the API channel’s listed, only the expected ones public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const withoutPolicy = consoleRoutes().filter((r) => !policies.get(r.key)?.isPublic && !policies.get(r.key)?.roles.length).map((r) => r.key);
    expect(withoutPolicy).toEqual([]);
    expect(routes.filter(isChannelRoute).map((r) => r.key).sort()).toEqual([...API_CHANNEL_ROUTES].sort());
    const open = routes.filter((r) => policies.get(r.key)?.isPublic).map((r) => r.key).sort();
    expect(open).toEqual(PUBLIC_ROUTES);
  });

  it('answers 401 to every non-public route called without credentials or with a bad token', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => !policies.get(r.key)?.isPublic)) {
      const path = fill(route, false) as string;
      for (const auth of [undefined, { Authorization: 'Bearer cs_not_a_key' }, { Authorization: 'Bearer a.b.c' }]) {
        const res = await call(route, path, auth);
        if (res.status !== 401) failures.push(`${route.key} with ${auth?.Authorization ?? 'no credentials'} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to every caller whose role the route does not admit', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of consoleRoutes().filter((r) => !policies.get(r.key)?.isPublic)) {
      const { roles } = policies.get(route.key) as Policy;
      for (const caller of callers.filter((c) => !c.role || !roles.includes(c.role))) {
        const res = await call(route, fill(route, false) as string, caller.auth);
        checked++;
        if (res.status !== 403) failures.push(`${route.key} as ${caller.label} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length);
  });

  it('answers 404, never 200 or 403, when a caller of another tenant names this tenant’s records', async () => {
    const failures: string[] = [];
    const withIds = routes.filter((r) => r.path.includes('/:') && !policies.get(r.key)?.isPublic);
    expect(withIds.length).toBeGreaterThanOrEqual(10);
    for (const route of withIds) {
      const path = fill(route, true);
      if (!path) {
        failures.push(`${route.key}: no record of another tenant to try — add one to foreignIds`);
        continue;
      }
      // The API channel admits any key of the tenant; the console, the roles of its policy.
      const admitted = isChannelRoute(route)
        ? callers.filter((c) => c.label.startsWith('API key'))
        : callers.filter((c) => c.role && c.role !== 'operator' && (policies.get(route.key) as Policy).roles.includes(c.role));
      for (const caller of admitted) {
        const res = await call(route, path, caller.auth);
        if (res.status !== 404) failures.push(`${route.key} as ${caller.label} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('documents every route in the OpenAPI document at /docs-json, and serves the UI at /docs', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const undocumented = routes.filter((r) => !doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]).map((r) => r.key);
    expect(undocumented).toEqual([]);
    const ui = await t.http().get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('never shows another tenant’s records in a list', async () => {
    const failures: string[] = [];
    const lists = consoleRoutes().filter(
      (r) => r.method === 'GET' && !r.path.includes('/:') && !policies.get(r.key)?.isPublic && !STREAM_ROUTES.includes(r.key),
    );
    for (const route of lists) {
      const { roles } = policies.get(route.key) as Policy;
      // The operator serves every tenant by design; everyone else sees only their own.
      for (const caller of callers.filter((c) => c.role && c.role !== 'operator' && roles.includes(c.role))) {
        const res = await call(route, route.path, caller.auth);
        const body = JSON.stringify(res.body);
        const leaked = Object.values(foreignIds).filter((id) => body.includes(id));
        if (res.status !== 200 || leaked.length) failures.push(`${route.key} as ${caller.label} → ${res.status} ${leaked.join(',')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
