import 'reflect-metadata';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { openDataSource } from '@cs/persistence';
import { seedDemo } from '@cs/knowledge';
import { spawnApp, SpawnedApp } from '@cs/testing';
import { closedLoop, openLoop, round, summarize } from './stats';
import { RawJetStreamRoundTrip } from './raw-jetstream';
import { FakeSlack, type FakeSlackUser } from '../fakes/slack/fake-slack';
import { benchSlackRoundTrips, seedSlackAccount } from '../fakes/slack/slack-bench';
import { CpuUsage } from './cpu-usage';
import { ReplyCounter, scaleLines, storedReplyCounts, type ScaleRun } from './scale-out';
import { evalDataDir, loadBitext, loadClinc150 } from '../eval/datasets';

/**
 * `npm run bench [-- --json] [--concurrency N] [--duration S] [--rate N] [--questions N] [--cpu-prof DIR]
 * [--agents N --connectors N]`: the distributed mode on this machine's PostgreSQL and NATS. Customers on
 * the API channel from many concurrent contacts, beside the raw JetStream round trip measured in the
 * same run as the baseline. `--agents`/`--connectors` above 1 add a scale-out phase: the repeated and
 * distinct questions again with that many processes of each, beside the figures with one.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const json = args.includes('--json');
const concurrency = flag('concurrency', 64);
const durationMs = flag('duration', 15) * 1000;
/** `--cpu-prof DIR`: each app writes a V8 CPU profile to DIR/<app>/ when it stops (open in Chrome DevTools). */
const cpuProfDir = args.includes('--cpu-prof') ? path.resolve(args[args.indexOf('--cpu-prof') + 1] ?? '.tmp/cpu-prof') : undefined;
// A loaded machine boots an app slowly: give it two minutes rather than the specs' 30 s.
const profiled = (app: string) => ({ readyTimeoutMs: 120_000, ...(cpuProfDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', path.join(cpuProfDir, app)] } : {}) });
const scale = { agents: Math.max(1, flag('agents', 1)), connectors: Math.max(1, flag('connectors', 1)) };
const log = (line: string) => { if (!json) console.log(line); else process.stderr.write(line + '\n'); };

async function main(): Promise<void> {
  const pg = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const runId = `bench${Date.now().toString(36)}`;
  const databaseUrl = `${pg}/cs_${runId}`;
  execFileSync('psql', [`${pg}/postgres`, '-qc', `CREATE DATABASE cs_${runId}`]);
  Object.assign(process.env, { TEST_DATABASE_URL: databaseUrl, TEST_NATS_URL: natsUrl, TEST_BUS_PREFIX: runId, TEST_PG_URL: pg, CS_TEST_RUN_ID: runId });

  const apps: SpawnedApp[] = [];
  let slack: FakeSlack | undefined;
  const raw = new RawJetStreamRoundTrip(natsUrl, `${runId}raw`);
  const replies = new ReplyCounter(natsUrl, runId);
  try {
    log(`setting up database cs_${runId} and the demo tenant...`);
    const ds = await openDataSource({ databaseUrl, poolSize: 2 });
    const { apiKey } = await seedDemo(ds, { apiKey: `cs_live_${runId}_benchkey` });
    await ds.destroy();

    log('baseline: raw JetStream round trip...');
    await raw.start();
    const rawLatencies: number[] = [];
    await closedLoop(concurrency, 2000, () => raw.roundTrip()); // warm-up
    const rawRate = await closedLoop(concurrency, durationMs, async () => {
      const t = performance.now();
      await raw.roundTrip();
      rawLatencies.push(performance.now() - t);
    });

    log('starting gateway, agent and connectors...');
    // Slack Connect beside the API channel: the fake Slack receives chat.postMessage and signs the events.
    const secretKey = `bench-secret-${runId}-0123456789abcdef`;
    slack = await new FakeSlack({
      teamId: 'T0BENCHSHOP',
      botToken: 'xoxb-bench-bot-token',
      botUserId: 'U0BENCHBOT',
      botId: 'B0BENCHBOT',
      signingSecret: 'bench-signing-secret-0123456789abcdef',
    }).start();
    const slackCustomer: FakeSlackUser = { id: 'U0BENCHCUST', teamId: 'T0BENCHCUST', name: 'Bench customer' };
    slack.addUser(slackCustomer);
    {
      const seedDs = await openDataSource({ databaseUrl, poolSize: 1 });
      const [{ id: tenantId }] = await seedDs.query(`SELECT id FROM tenants WHERE slug = 'demo'`);
      await seedSlackAccount(seedDs, tenantId, slack, secretKey);
      await seedDs.destroy();
    }
    const env = { SECRET_KEY: secretKey, LOG_LEVEL: 'warn', SLACK_API_URL: slack.apiUrl };
    const [connectorApp, agentApp] = await Promise.all([spawnApp('connectors', env, profiled('connectors')), spawnApp('agent', env, profiled('agent'))]);
    const agents = [agentApp];
    const connectors = [connectorApp];
    apps.push(connectorApp, agentApp);
    await replies.start();
    const gateway = await spawnApp('gateway', env, profiled('gateway'));
    apps.push(gateway);

    let failures = 0;
    const ask = (contact: string, latencies: number[], text = 'how long does delivery take?') => async () => {
      const t = performance.now();
      const res = await fetch(`${gateway.url}/api/v1/channels/api/messages?wait=10000`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, contact: { externalId: contact } }),
      });
      await res.arrayBuffer();
      if (res.status === 200) latencies.push(performance.now() - t);
      else failures++;
    };

    // The load generator's own ceiling: the same HTTP client and concurrency on a trivial route.
    log('second baseline: GET /healthz through the same HTTP client...');
    const healthLatencies: number[] = [];
    const healthRate = await closedLoop(concurrency, Math.min(durationMs, 5000), async () => {
      const t = performance.now();
      await (await fetch(`${gateway.url}/healthz`)).arrayBuffer();
      healthLatencies.push(performance.now() - t);
    });

    // Models load and the tenant's classifier trains on the first question: wait for one answer
    // before the clock starts, then warm up under load.
    log('warming up: the first answer, then load...');
    const first = Date.now();
    const firstLatency: number[] = [];
    while (firstLatency.length === 0 && Date.now() - first < 120_000) await ask('warm-first', firstLatency)();
    let n = 0;
    await closedLoop(concurrency, 3000, () => ask(`warm-${n++ % concurrency}`, [])());
    failures = 0;

    log(`product: ${concurrency} concurrent contacts for ${durationMs / 1000} s...`);
    const cpu = new CpuUsage(
      { gateway: gateway.proc.pid, agent: agentApp.proc.pid, connectors: connectorApp.proc.pid },
      `${pg}/postgres`,
      `cs_${runId}`,
    );
    await cpu.begin();
    const saturated: number[] = [];
    const rate = await closedLoop(concurrency, durationMs, () => ask(`bench-${n++ % concurrency}`, saturated)());
    const cpuPerReply = await cpu.perItem(saturated.length);

    // Distinct questions: every message pays for understanding and retrieval (no cache answers it).
    let real: { questions: number; repliesPerSecond: number; latencyMs: ReturnType<typeof summarize>; cpuMsPerReply: Record<string, number>; failures: number } | undefined;
    const questions = realQuestions();
    // Shared by every distinct-question phase, so a later phase asks questions not asked before.
    let q = 0;
    if (questions.length) {
      log(`product, distinct questions: ${concurrency} concurrent contacts over ${questions.length} questions for ${durationMs / 1000} s...`);
      const failuresBefore = failures;
      const realLatencies: number[] = [];
      await cpu.begin();
      const realRate = await closedLoop(concurrency, durationMs, () => ask(`real-${q % concurrency}`, realLatencies, questions[q++ % questions.length])());
      real = { questions: questions.length, repliesPerSecond: round(realRate), latencyMs: summarize(realLatencies), cpuMsPerReply: await cpu.perItem(realLatencies.length), failures: failures - failuresBefore };
      failures = failuresBefore;
    } else log('distinct questions skipped: ../shared/eval not found (set EVAL_DATA_DIR)');

    // `--rate N` measures the open-loop latency at a fixed rate instead of half the measured one.
    const halfRate = flag('rate', Math.max(1, Math.floor(rate / 2)));
    log(`product at half that rate (${halfRate}/s, open loop)...`);
    const half: number[] = [];
    await openLoop(halfRate, durationMs, () => ask(`half-${n++ % concurrency}`, half)());

    // Scale-out: the same phases with more agent and connector processes sharing the durable consumers.
    const scaleRuns: ScaleRun[] = [{ ...scale, agents: 1, connectors: 1, repeated: { repliesPerSecond: round(rate), latencyMs: summarize(saturated), cpuMsPerReply: cpuPerReply }, distinct: real ?? null }];
    if (scale.agents > 1 || scale.connectors > 1) {
      log(`scale-out: ${scale.agents} agents and ${scale.connectors} connectors...`);
      const more = await Promise.all([
        ...Array.from({ length: scale.agents - 1 }, (_, i) => spawnApp('agent', env, profiled(`agent${i + 2}`))),
        ...Array.from({ length: scale.connectors - 1 }, (_, i) => spawnApp('connectors', env, profiled(`connectors${i + 2}`))),
      ]);
      apps.push(...more);
      agents.push(...more.slice(0, scale.agents - 1));
      connectors.push(...more.slice(scale.agents - 1));
      await closedLoop(concurrency, 5000, () => ask(`warm-${n++ % concurrency}`, [])());
      const scaled = new CpuUsage({ gateway: gateway.proc.pid, agent: agents.map((a) => a.proc.pid as number), connectors: connectors.map((c) => c.proc.pid as number) }, `${pg}/postgres`, `cs_${runId}`);
      const run = async (next: (latencies: number[]) => () => Promise<void>) => {
        const latencies: number[] = [];
        await scaled.begin();
        const perSecond = await closedLoop(concurrency, durationMs, next(latencies));
        return { repliesPerSecond: round(perSecond), latencyMs: summarize(latencies), cpuMsPerReply: await scaled.perItem(latencies.length) };
      };
      const repeated = await run((l) => () => ask(`scale-${n++ % concurrency}`, l)());
      const distinct = questions.length ? await run((l) => () => ask(`scale-real-${q % concurrency}`, l, questions[q++ % questions.length])()) : null;
      scaleRuns.push({ ...scale, repeated, distinct });
    }

    // Per-channel latency at a modest, equal load: Slack event in → chat.postMessage out, beside the API channel.
    const channelLoad = { count: Math.min(200, Math.max(40, halfRate)), concurrency: 8 };
    log(`channels: ${channelLoad.count} questions each over Slack and the API channel, ${channelLoad.concurrency} at a time...`);
    const slackRun = await benchSlackRoundTrips(slack, `${gateway.url}/hooks/slack/events`, slackCustomer, channelLoad);
    const apiSide: number[] = [];
    let apiDone = 0;
    await Promise.all(
      Array.from({ length: channelLoad.concurrency }, async (_, w) => {
        while (apiDone++ < channelLoad.count) await ask(`side-${w}`, apiSide)();
      }),
    );
    const channels = {
      api: { name: 'API channel: question → reply', latencyMs: summarize(apiSide) },
      slack: { name: 'Slack: event in → chat.postMessage out', latencyMs: summarize(slackRun.latencies), failures: slackRun.failures },
    };

    const stored = await storedReplyCounts(databaseUrl);
    const doubled = { ...replies.summary(), ...stored };
    const result = {
      machine: { cores: require('os').cpus().length, node: process.version },
      concurrency,
      durationSeconds: durationMs / 1000,
      baseline: { name: 'raw JetStream round trip', perSecond: round(rawRate), latencyMs: summarize(rawLatencies) },
      httpBaseline: { name: 'GET /healthz, same client and concurrency', perSecond: round(healthRate), latencyMs: summarize(healthLatencies) },
      product: {
        name: 'API channel, question to reply (HTTP ?wait)',
        repliesPerSecond: round(rate),
        latencyMs: summarize(saturated),
        atHalfRate: { ratePerSecond: halfRate, latencyMs: summarize(half) },
        failures,
        /** CPU milliseconds per reply while saturated, by process (Linux /proc): where a message's cost lies. */
        cpuMsPerReply: cpuPerReply,
      },
      /** Distinct customer questions (CLINC150's and Bitext's in-scope test sentences): the brain's real cost per message. */
      distinctQuestions: real ?? null,
      channels,
      /** Replies per configuration of processes; the first is one agent and one connector. */
      scaleOut: scaleRuns,
      /** Questions that got more than one reply (sent, by the bus; stored, in the database): must both be 0. */
      doubledReplies: doubled,
      ratios: {
        throughputVsBaseline: round(rate / rawRate, 3),
        distinctQuestionsVsBaseline: real ? round(real.repliesPerSecond / rawRate, 3) : null,
        p95VsBaseline: round(summarize(saturated).p95 / summarize(rawLatencies).p95, 2),
      },
      goals: { repliesPerSecond: 500, p95AtHalfRateMs: 25 },
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log('\nresult');
      console.log(`  baseline  raw JetStream round trip: ${round(rawRate)}/s  p50 ${result.baseline.latencyMs.p50} ms  p95 ${result.baseline.latencyMs.p95} ms  p99 ${result.baseline.latencyMs.p99} ms`);
      console.log(`  product   API channel replies:      ${round(rate)}/s  p50 ${result.product.latencyMs.p50} ms  p95 ${result.product.latencyMs.p95} ms  p99 ${result.product.latencyMs.p99} ms  (failures ${failures})`);
      console.log(`  product   at ${halfRate}/s:                p50 ${result.product.atHalfRate.latencyMs.p50} ms  p95 ${result.product.atHalfRate.latencyMs.p95} ms  p99 ${result.product.atHalfRate.latencyMs.p99} ms`);
      if (real) console.log(`  product   distinct questions:       ${real.repliesPerSecond}/s  p50 ${real.latencyMs.p50} ms  p95 ${real.latencyMs.p95} ms  p99 ${real.latencyMs.p99} ms  (failures ${real.failures}; cpu ms per reply ${Object.entries(real.cpuMsPerReply).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      console.log(`  http      GET /healthz (load generator ceiling): ${round(healthRate)}/s  p50 ${result.httpBaseline.latencyMs.p50} ms  p95 ${result.httpBaseline.latencyMs.p95} ms`);
      console.log(`  cpu       ms per reply: ${Object.entries(cpuPerReply).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`  channels  API p50 ${channels.api.latencyMs.p50} ms p95 ${channels.api.latencyMs.p95} ms; Slack event → chat.postMessage p50 ${channels.slack.latencyMs.p50} ms p95 ${channels.slack.latencyMs.p95} ms (failures ${channels.slack.failures})`);
      for (const line of scaleLines(scaleRuns.length > 1 ? scaleRuns : [])) console.log(line);
      console.log(`  doubled   ${doubled.repliedMoreThanOnce} of ${doubled.questionsReplied} questions replied to more than once; ${doubled.inboundWithSeveralReplies} of ${doubled.inboundWithReply} stored with several replies`);
      console.log(`  ratio     throughput ${result.ratios.throughputVsBaseline}x baseline, p95 ${result.ratios.p95VsBaseline}x baseline${real ? `; distinct questions ${result.ratios.distinctQuestionsVsBaseline}x baseline` : ''}`);
      console.log(`  goals     >= 500 replies/s; p95 <= 25 ms at half rate`);
    }
  } finally {
    await Promise.all(apps.map((a) => a.kill()));
    await raw.stop().catch(() => undefined);
    await replies.stop().catch(() => undefined);
    await slack?.stop().catch(() => undefined);
    execFileSync('psql', [`${pg}/postgres`, '-qc', `DROP DATABASE IF EXISTS cs_${runId} WITH (FORCE)`]);
    await dropStreams(natsUrl, runId);
  }
}

/**
 * Distinct in-scope customer questions from the evaluation data (CLINC150's and Bitext's test
 * sentences), deduplicated and in a fixed shuffled order; none when the data is not there.
 * `--questions N` caps how many (default 3000).
 */
function realQuestions(): string[] {
  let dir: string;
  try {
    dir = evalDataDir();
  } catch {
    return [];
  }
  const texts = [...new Set([...loadClinc150(dir).test, ...loadBitext(dir).test].map((e) => e.text.trim()).filter(Boolean))];
  // A fixed order (seeded shuffle) so two runs ask the same questions.
  let seed = 42;
  for (let i = texts.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [texts[i], texts[j]] = [texts[j], texts[i]];
  }
  return texts.slice(0, flag('questions', 3000));
}

async function dropStreams(url: string, prefix: string): Promise<void> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  for await (const s of jsm.streams.list()) {
    if (s.config.name.startsWith(prefix.toUpperCase())) await jsm.streams.delete(s.config.name);
  }
  await nc.drain();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
