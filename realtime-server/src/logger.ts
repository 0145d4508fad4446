import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs, one line per event, tagged with the node id. Credentials are redacted
 * wherever a log call passes request headers; request lines are shaped in core/request-log.ts.
 */
export function createLogger(level: string, nodeId: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { node: nodeId },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'],
  };
  return destination ? pino(options, destination) : pino(options);
}
