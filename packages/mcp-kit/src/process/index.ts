export { runServerProcess, type ServeContext, type ServerProcessOptions } from './run-server-process.ts';
export { serveOverStdio } from './serve-over-stdio.ts';
export { stderrLogger, oneLine } from './stderr-logger.ts';
export { serviceInstruments } from './start-telemetry.ts';
