import 'reflect-metadata';
import { execFileSync } from 'child_process';
import { performance } from 'perf_hooks';
import { openDataSource } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { callerSays, silence } from '../../fakes/twilio/caller-voice';
import { FakeCall } from '../../fakes/twilio/fake-media-stream';
import { PUBLIC_URL, SHOP_NUMBER, startTwilioStack } from './twilio-test-app';

/**
 * `node dist/test/integration/twilio/bench-voice.js [--turns N] [--json]` (proposed as
 * `npm run bench:voice`): phone turns with the offline providers on this machine's PostgreSQL and
 * NATS, end of speech → first audio byte back, split into STT, agent (bus included), TTS and our
 * own overhead; and SMS, inbound webhook → REST send.
 */
const teardown = require('../../helpers/global-teardown') as () => Promise<void>;

const args = process.argv.slice(2);
const turns = Number(args[args.indexOf('--turns') + 1]) || 12;
const json = args.includes('--json');
const QUESTIONS = ['how long does delivery take', 'where is my order', 'can i return my shoes', 'what payment methods do you accept'];

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]) : NaN;
}

async function main(): Promise<void> {
  const pg = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const runId = `benchvoice${Date.now().toString(36)}`;
  execFileSync('psql', [`${pg}/postgres`, '-qc', `CREATE DATABASE cs_${runId}`]);
  const databaseUrl = `${pg}/cs_${runId}`;
  // The same variables as a test run, so the test teardown removes this run's database and streams.
  Object.assign(process.env, {
    CS_TEST_RUN_ID: runId,
    TEST_PG_URL: pg,
    TEST_DATABASE_URL: databaseUrl,
    TEST_NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    TEST_BUS_PREFIX: runId,
  });
  await (await openDataSource({ databaseUrl, poolSize: 1 }, { migrate: true })).destroy();
  const stack = await startTwilioStack('bench');
  const said = QUESTIONS.map((q) => Buffer.concat([silence(300), callerSays(q), silence(900)]));
  const rows: { sttMs: number; agentMs: number; ttsMs: number; endOfSpeechToFirstAudioMs: number }[] = [];
  const sms: number[] = [];
  try {
    for (let i = 0; i < turns; i++) {
      const call = await FakeCall.dial({
        url: `${PUBLIC_URL.replace(/^https/, 'wss')}/hooks/twilio-voice/${stack.voiceAccountId}/media`,
        route: stack.route,
        accountSid: stack.accountSid,
        authToken: stack.authToken,
        from: `+1415666${String(1000 + i)}`,
        to: SHOP_NUMBER,
      });
      call.say(said[i % said.length]);
      await waitFor(() => call.received.some((f) => f.event === 'mark'), { timeoutMs: 30_000, what: 'an answer' });
      const [answer] = await stack.dataSource.query(
        `SELECT trace FROM messages WHERE direction = 'out' AND conversation_id = (SELECT id FROM conversations WHERE external_thread_id = $1)`,
        [call.callSid],
      );
      await waitFor(async () => {
        const [row] = await stack.dataSource.query(
          `SELECT trace FROM messages WHERE direction = 'out' AND conversation_id = (SELECT id FROM conversations WHERE external_thread_id = $1)`,
          [call.callSid],
        );
        return row?.trace?.voice && rows.push(row.trace.voice);
      });
      void answer;
      await call.hangUp();

      const phone = `+1415777${String(1000 + i)}`;
      const t = performance.now();
      await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: QUESTIONS[i % QUESTIONS.length] });
      await waitFor(() => stack.fake.messagesTo(phone).length > 0, { intervalMs: 2, what: 'the SMS answer' });
      sms.push(performance.now() - t);
    }
  } finally {
    await stack.close();
    await teardown();
  }
  const col = (k: keyof (typeof rows)[number]) => rows.map((r) => r[k]);
  const overhead = rows.map((r) => r.endOfSpeechToFirstAudioMs - r.sttMs - r.agentMs - r.ttsMs);
  const result = {
    turns: rows.length,
    endOfSpeechToFirstAudioMs: { p50: pct(col('endOfSpeechToFirstAudioMs'), 50), p95: pct(col('endOfSpeechToFirstAudioMs'), 95) },
    sttMs: { p50: pct(col('sttMs'), 50), p95: pct(col('sttMs'), 95) },
    agentIncludingBusMs: { p50: pct(col('agentMs'), 50), p95: pct(col('agentMs'), 95) },
    ttsMs: { p50: pct(col('ttsMs'), 50), p95: pct(col('ttsMs'), 95) },
    ourOverheadMs: { p50: pct(overhead, 50), p95: pct(overhead, 95) },
    smsWebhookToRestSendMs: { p50: pct(sms, 50), p95: pct(sms, 95) },
  };
  if (json) console.log(JSON.stringify(result));
  else for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(28)} ${typeof v === 'number' ? v : `p50 ${v.p50}  p95 ${v.p95}`}`);
  process.exit(0);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
