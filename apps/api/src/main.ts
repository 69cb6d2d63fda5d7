import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../libs/config/src/config.js';
import { createApi, webDirectory } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApi(config);
  await app.listen(config.port, '0.0.0.0');
  // Through the app's logger: with KETNAP_LOG_FORMAT=json every line of stdout is a JSON object.
  const log = new Logger('api');
  log.log(`listening on http://127.0.0.1:${config.port}/api`);
  if (webDirectory(config)) log.log(`web app on http://127.0.0.1:${config.port}/`);
  else log.log('web app not built (npm run build:web): serving the API only');
  if (config.tracing) log.log(`OpenTelemetry traces to ${config.tracing.tracesUrl}`);
}

main().catch((e) => {
  console.error('[api] failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
