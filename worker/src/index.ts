/** The Worker's entry points: the HTTP API, the cron trigger, and the sync queue's consumer. */
import { app } from './app';
import { runScheduledWork } from './scheduled';
import { type SyncMessage, consumeSyncBatch } from './sync/fan-out';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledWork(env, new Date(controller.scheduledTime)));
  },
  queue: consumeSyncBatch,
} satisfies ExportedHandler<Env, SyncMessage>;
