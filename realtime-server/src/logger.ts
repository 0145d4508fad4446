import { pino, type Logger } from 'pino';

/** Structured JSON logs, one line per event, tagged with the node id. */
export function createLogger(level: string, nodeId: string): Logger {
  return pino({ level, base: { node: nodeId }, timestamp: pino.stdTimeFunctions.isoTime });
}
