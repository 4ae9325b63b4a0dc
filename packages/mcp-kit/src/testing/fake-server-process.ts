// A server process for run-server-process.test.ts: the first argument says what goes wrong, if anything.
import { runServerProcess } from '../process/run-server-process.ts';

const [mode = 'ok'] = process.argv.slice(2);

await runServerProcess({
  name: 'fake-mcp',
  service: 'catalogMcp',
  version: '0.0.0',
  configure() {
    if (mode === 'bad-flag') throw new Error("Unknown option '--bad'");
    return { mode };
  },
  openDb() {
    if (mode === 'no-db') throw new Error('database /nowhere.db does not exist');
    return { close: () => process.stderr.write('db closed\n') };
  },
  async serve({ log }) {
    if (mode === 'no-port') throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:3001');
    const keepAlive = setInterval(() => {}, 60_000);
    log('serving');
    return async () => {
      clearInterval(keepAlive);
      log('transport stopped');
    };
  },
});
