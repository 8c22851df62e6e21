// The Worker's Cron Triggers (wrangler.toml [triggers]): every minute the outbox and the
// stalled-batch sweeps, hourly the clean-up and the re-sealing of secrets. The trigger's
// scheduled time is "now" for every sweep. A sweep that fails is logged; the others run.
import { cleanUp } from './clean-up.ts';
import { sweepOutbox } from './outbox.ts';
import { resealSecrets } from './reseal.ts';
import { sweepStalledBatches } from './stalled-batches.ts';

export const EVERY_MINUTE = '* * * * *';
export const HOURLY = '17 * * * *';

export async function runCron(controller: ScheduledController, env: Env, _ctx?: ExecutionContext): Promise<void> {
  const now = controller.scheduledTime;
  const sweeps: [string, () => Promise<unknown>][] =
    controller.cron === HOURLY
      ? [
          ['clean-up', () => cleanUp(env, now)],
          ['reseal', () => resealSecrets(env)],
        ]
      : [
          ['outbox', () => sweepOutbox(env, now)],
          ['stalled batches', () => sweepStalledBatches(env, now)],
        ];
  for (const [name, sweep] of sweeps) {
    try {
      const result = await sweep();
      if (result && (typeof result !== 'object' || Object.values(result).some(Boolean))) console.log(`cron ${name}:`, result);
    } catch (e) {
      console.error(`cron ${name} failed:`, e);
    }
  }
}
