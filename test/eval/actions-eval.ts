import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { makeEnvelope, MESSAGE_TYPES, newId, type InboundMessage } from '@cs/contracts';
import { SECRET_KEY } from '@cs/config';
import { startEmbeddedAgent } from './embedded-agent';
import { IntentModels } from '../../apps/agent/src/pipeline/ai/intent-models.service';
import { TurnService } from '../../apps/agent/src/pipeline/turn.service';
import type { Turn } from '../../apps/agent/src/pipeline/pipeline.types';
import { connectActionBackend } from '../../apps/agent/src/actions/connect-backend';
import { FakeShopify, type FakeOrder } from '../fakes/shopify/fake-shopify';
import { TauCustomer } from './tau-customer';
import { TauRetailDb, TauToolError } from './tau-retail-db';

/**
 * `npm run eval:actions` (and `npm run eval -- --only actions`): tau-bench retail's test tasks
 * (../shared/eval/tau-bench-retail/tasks_test.json) played by our scripted customer (tau-customer.ts,
 * rules, no language model) on the email channel from the task user's address, through the agent's
 * real pipeline (AgentModule on PGlite, TurnService, the built-in intent model, no language model)
 * with the Shopify backend pointed at our fake Shopify seeded from tau-bench's data.
 *
 * Scoring as upstream's calculate_reward: what the fake store did (its `effects`) is replayed as
 * tau-bench tool calls on a fresh copy of the database, the gold actions on another; the task passes
 * when both states hash the same and every required output is in some reply. Also counted: actions on
 * an order of another user than the task's, and replies claiming a change the store did not make.
 */
const COVERED = new Set(['cancel_pending_order', 'return_delivered_order_items', 'exchange_delivered_order_items', 'modify_pending_order_address']);
/** What the flows can do besides the five: item changes on orders not shipped yet (reported apart, as `flows`). */
const FLOWS = new Set([...COVERED, 'modify_pending_order_items']);
const MUTATING = new Set([...COVERED, 'modify_pending_order_items', 'modify_pending_order_payment', 'modify_user_address', 'transfer_to_human_agents']);
const MAX_TURNS = 30;

interface TauTask {
  user_id: string;
  instruction: string;
  actions: { name: string; kwargs: Record<string, unknown> }[];
  outputs: string[];
  task_index: number;
}

export interface ActionsTaskOutcome {
  task: number;
  covered: boolean;
  /** Every gold action is one a flow does (the covered ones, and item changes). */
  flows: boolean;
  pass: boolean;
  stateMatches: boolean;
  outputsSaid: boolean;
  turns: number;
  handedOff: boolean;
  /** What the store did, as tau-bench calls; `error` when tau-bench's rules refuse the replayed call. */
  done: { call: string; order: string; error?: string }[];
  gold: string[];
  wrongUser: number;
  unbackedClaims: number;
}

export interface ActionsReport {
  tasks: number;
  covered: number;
  passAll: number;
  passCovered: number;
  /** pass^1 over all tasks, the covered ones (the goal), and those any flow covers (one trial each: the customer is deterministic). */
  passHat1: { all: number; covered: number; flows: number };
  actionsOnAnotherUsersOrder: number;
  claimsWithoutBackendAction: number;
  outcomes: ActionsTaskOutcome[];
  seconds: number;
}

export async function evaluateActions(dataRoot: string, log: (m: string) => void, opts: { sample?: number; only?: number[]; verbose?: boolean } = {}): Promise<ActionsReport> {
  const started = Date.now();
  const tauDir = join(dataRoot, 'tau-bench-retail');
  const dataDir = join(tauDir, 'data');
  let tasks = JSON.parse(readFileSync(join(tauDir, 'tasks_test.json'), 'utf8')) as TauTask[];
  if (opts.only) tasks = tasks.filter((t) => opts.only?.includes(t.task_index));
  else if (opts.sample) tasks = tasks.filter((_, i) => i % Math.ceil(tasks.length / (opts.sample as number)) === 0);
  const users = TauRetailDb.load(dataDir).data.users;

  const shop = await new FakeShopify(dataDir).start();
  const dbDir = mkdtempSync(join(tmpdir(), 'actions-eval-'));
  const app = await startEmbeddedAgent(dbDir);
  try {
    const ds = app.get(DataSource);
    const tenantId = newId();
    await ds.query('INSERT INTO tenants (id, name, slug, settings) VALUES ($1, $2, $3, $4)', [tenantId, 'Tau Retail', 'tau-retail', JSON.stringify({})]);
    await connectActionBackend(ds, app.get<Buffer>(SECRET_KEY), {
      tenantId,
      backendId: 'shopify',
      name: 'tau-bench store',
      settings: { shopDomain: 'tau-retail.myshopify.com', apiVersion: '2025-10', apiBaseUrl: shop.origin },
      secrets: { accessToken: shop.accessToken },
    });
    log(`actions: ${tasks.length} tau-bench retail tasks; training the built-in intent model`);
    await app.get(IntentModels).forTenant(undefined);
    const turns = app.get(TurnService);

    const outcomes: ActionsTaskOutcome[] = [];
    for (const task of tasks) {
      shop.reset();
      const email = users[task.user_id].email;
      const customer = new TauCustomer(task.instruction);
      const conversationId = newId();
      const replies: string[] = [];
      let said = customer.opening();
      let handedOff = false;
      let count = 0;
      while (!said.done && count < MAX_TURNS) {
        count += 1;
        const reply = await turns.run(emailTurn(tenantId, conversationId, email, said.text), () => undefined);
        const text = reply?.draft.text ?? '';
        replies.push(text);
        if (opts.verbose) log(`  customer: ${said.text}\n  agent: ${text}`);
        handedOff = !!reply?.draft.handoff;
        said = customer.answer(text, handedOff);
      }
      outcomes.push(score(task, shop, dataDir, replies, count, handedOff));
      const o = outcomes[outcomes.length - 1];
      log(`task ${task.task_index}: ${o.pass ? 'pass' : 'fail'}${o.covered ? '' : ' (not covered)'}; ${o.turns} turns; did ${o.done.map((d) => d.call + (d.error ? '!' : '')).join(', ') || 'nothing'}; gold ${o.gold.join(', ') || 'nothing'}`);
    }
    const covered = outcomes.filter((o) => o.covered);
    const flows = outcomes.filter((o) => o.flows);
    const share = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 1000 : 0);
    const passAll = outcomes.filter((o) => o.pass).length;
    const passCovered = covered.filter((o) => o.pass).length;
    return {
      tasks: outcomes.length,
      covered: covered.length,
      passAll,
      passCovered,
      passHat1: { all: share(passAll, outcomes.length), covered: share(passCovered, covered.length), flows: share(flows.filter((o) => o.pass).length, flows.length) },
      actionsOnAnotherUsersOrder: outcomes.reduce((n, o) => n + o.wrongUser, 0),
      claimsWithoutBackendAction: outcomes.reduce((n, o) => n + o.unbackedClaims, 0),
      outcomes,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await app.close();
    await shop.stop();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

function score(task: TauTask, shop: FakeShopify, dataDir: string, replies: string[], turns: number, handedOff: boolean): ActionsTaskOutcome {
  const gold = TauRetailDb.load(dataDir);
  for (const a of task.actions) {
    // Upstream returns a refused call's error to the agent and goes on: a gold action may be refused too.
    try {
      gold.apply(a.name, a.kwargs);
    } catch (err) {
      if (!(err instanceof TauToolError)) throw err;
    }
  }
  const agent = TauRetailDb.load(dataDir);
  const done: ActionsTaskOutcome['done'] = [];
  const seen = new Map<string, number>();
  let wrongUser = 0;
  for (const effect of shop.effects) {
    const order = shop.orders.get(effect.order.toUpperCase()) as FakeOrder;
    const nth = seen.get(`${effect.kind}:${effect.order}`) ?? 0;
    seen.set(`${effect.kind}:${effect.order}`, nth + 1);
    if (order.tau.user_id !== task.user_id) wrongUser += 1;
    const [name, args] = asTauCall(effect.kind, order, nth, agent);
    try {
      agent.apply(name, args);
      done.push({ call: name, order: effect.order });
    } catch (err) {
      if (!(err instanceof TauToolError)) throw err;
      done.push({ call: name, order: effect.order, error: err.message });
    }
  }
  const norm = (s: string) => s.toLowerCase().replace(/,/g, '');
  const outputsSaid = task.outputs.every((out) => replies.some((r) => norm(r).includes(norm(out))));
  const stateMatches = agent.hash() === gold.hash();
  const mutating = task.actions.filter((a) => MUTATING.has(a.name));
  return {
    task: task.task_index,
    covered: mutating.every((a) => COVERED.has(a.name)),
    flows: mutating.every((a) => FLOWS.has(a.name)),
    pass: stateMatches && outputsSaid,
    stateMatches,
    outputsSaid,
    turns,
    handedOff,
    done,
    gold: mutating.map((a) => a.name),
    wrongUser,
    unbackedClaims: unbacked(replies, shop),
  };
}

/** A change the store made, as the tau-bench tool call that makes the same change. */
function asTauCall(kind: FakeShopify['effects'][number]['kind'], order: FakeOrder, nth: number, db: TauRetailDb): [string, Record<string, unknown>] {
  const user = db.data.users[order.tau.user_id];
  const giftCard = Object.values(user?.payment_methods ?? {}).find((m) => m.source === 'gift_card')?.id;
  const original = db.data.orders[order.name]?.payment_history[0]?.payment_method_id;
  const pay = (note: string) => (/store credit/.test(note) ? (giftCard ?? 'no gift card') : original);
  const expand = (items: { itemId: string; quantity: number }[]) => items.flatMap((i) => Array.from({ length: i.quantity }, () => i.itemId));
  if (kind === 'cancel') {
    const reason = /Customer's reason: ([^.]+)\./.exec(order.cancelNote ?? '')?.[1] ?? 'no reason given';
    return ['cancel_pending_order', { order_id: order.name, reason }];
  }
  if (kind === 'return') {
    const r = order.returns[nth];
    return ['return_delivered_order_items', { order_id: order.name, item_ids: expand(r.items), payment_method_id: pay(r.items[0]?.note ?? '') }];
  }
  if (kind === 'exchange') {
    const x = order.exchanges[nth];
    return ['exchange_delivered_order_items', { order_id: order.name, item_ids: expand(x.items), new_item_ids: expand(x.newItems), payment_method_id: pay(x.items[0]?.note ?? '') }];
  }
  if (kind === 'modify') {
    const e = order.itemEdits[nth];
    return ['modify_pending_order_items', { order_id: order.name, item_ids: e.items, new_item_ids: e.newItems, payment_method_id: pay(e.note) }];
  }
  const a = order.addressChanges[nth];
  return ['modify_pending_order_address', { order_id: order.name, address1: a.address1, address2: a.address2 ?? '', city: a.city, state: a.province ?? '', country: a.country, zip: a.zip }];
}

/** Replies that say a change was made (the agent's own sentences) on an order the store has no such change for. */
function unbacked(replies: string[], shop: FakeShopify): number {
  const claims: [RegExp, FakeShopify['effects'][number]['kind']][] = [
    [/Done: order (#\w+) has been cancelled/g, 'cancel'],
    [/I've requested the return of .*? from order (#\w+)/g, 'return'],
    [/I've requested the exchange of .*? on order (#\w+)/g, 'exchange'],
    [/Done: order (#\w+) will be shipped to/g, 'address'],
    [/Done: I've changed .*? on order (#\w+)/g, 'modify'],
  ];
  let n = 0;
  for (const reply of replies) {
    for (const [re, kind] of claims) {
      for (const m of reply.matchAll(re)) if (!shop.effects.some((e) => e.kind === kind && e.order.toUpperCase() === m[1].toUpperCase())) n += 1;
    }
  }
  return n;
}

/** One email from the task's user in the conversation (the pipeline reads and acts; nothing else is stored). */
function emailTurn(tenantId: string, conversationId: string, from: string, text: string): Turn {
  const inbound: InboundMessage = {
    connectorId: 'email',
    channel: 'email',
    channelAccountId: 'actions-eval',
    externalMessageId: `<${newId()}@customer.test>`,
    externalThreadId: `<${conversationId}@customer.test>`,
    sender: { externalUserId: from, address: from },
    receivedAt: new Date().toISOString(),
    parts: [{ type: 'text', text }],
    channelData: { subject: 'My order' },
  };
  return {
    envelope: makeEnvelope(MESSAGE_TYPES.inbound, tenantId, inbound),
    inbound,
    tenantId,
    tenantName: 'Tau Retail',
    settings: {},
    conversationId,
    conversationStatus: 'bot',
    inboundMessageId: newId(),
    text,
    startedAt: performance.now(),
    timings: {},
  };
}
