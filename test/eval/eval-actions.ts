/**
 * `npm run eval:actions [-- --json] [-- --sample N] [-- --tasks 0,5,17] [-- --verbose]`: tau-bench retail's test
 * tasks through the agent's act stage and our fake Shopify (actions-eval.ts). Progress goes to stderr;
 * `--json` prints one JSON object.
 */
import { evalDataDir } from './datasets';
import { evaluateActions, type ActionsReport } from './actions-eval';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`[eval:actions ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const report = await evaluateActions(evalDataDir(), log, {
    sample: at('--sample') ? Number(at('--sample')) : undefined,
    only: at('--tasks')?.split(',').map(Number),
    verbose: args.includes('--verbose'),
  });
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ command: `node dist/test/eval/eval-actions.js ${args.join(' ')}`.trim(), actions: report }, null, 2) + '\n');
    return;
  }
  printActions(report);
}

export function printActions(r: ActionsReport): void {
  console.log(`\ntau-bench retail, offline (scripted customer on email, fake Shopify): ${r.tasks} tasks, ${r.covered} covered by the flows`);
  console.log(`  pass^1 all ${r.passHat1.all} (${r.passAll}/${r.tasks}) | covered ${r.passHat1.covered} (${r.passCovered}/${r.covered}) | any flow's, item changes too ${r.passHat1.flows}`);
  console.log(`  actions on another user's order: ${r.actionsOnAnotherUsersOrder} | replies claiming a change the store did not make: ${r.claimsWithoutBackendAction}`);
  console.log(`  ${r.seconds} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
