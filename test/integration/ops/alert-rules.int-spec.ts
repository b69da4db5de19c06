import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { register } from 'prom-client';
// Importing them registers every metric the apps serve at /metrics (the default registry).
import '@cs/config';
import '@cs/messaging';
import '../../../apps/gateway/src/webchat/webchat-sessions';

const run = promisify(execFile);
const DEPLOY = path.resolve(__dirname, '../../../deploy');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: DEPLOY });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

describe('alerting rules shipped in deploy/', () => {
  it('are valid and loaded by the Prometheus config the compose stack uses', async () => {
    const out = await promtool('check', 'config', 'prometheus.yml');
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    expect(out).toMatch(/SUCCESS: 9 rules found/);
  });

  it('fire when they should and stay quiet when they should not (promtool test rules)', async () => {
    const out = await promtool('test', 'rules', 'alerting/alerts.test.yml');
    expect(out).toMatch(/SUCCESS/);
  });

  it('name only metrics that /metrics really exports', async () => {
    const rules = fs.readFileSync(path.join(DEPLOY, 'alerting/alerts.yml'), 'utf8');
    const used = [...new Set([...rules.matchAll(/\b(cs_[a-z_]+)/g)].map((m) => m[1]))];
    expect(used.length).toBeGreaterThanOrEqual(7);
    const exported = new Set<string>();
    for (const metric of await register.getMetricsAsJSON()) {
      exported.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${metric.name}${suffix}`);
    }
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('go to the Alertmanager that docker-compose.yml runs', () => {
    const compose = fs.readFileSync(path.resolve(DEPLOY, '../docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^ {2}alertmanager:\n {4}image: prom\/alertmanager/m);
    expect(compose).toContain('./deploy/alerting:/etc/prometheus/alerting:ro');
    expect(fs.readFileSync(path.join(DEPLOY, 'prometheus.yml'), 'utf8')).toContain('alertmanager:9093');
  });
});
