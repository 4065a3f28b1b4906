/** The Worker's entry points: the HTTP API and the cron trigger. */
import { app } from './app';
import { runScheduledWork } from './scheduled';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledWork(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
