/** A server's log that hides its secrets (common/redact.ts) in every line before the sink sees it. */
import type { Redactor } from '../common/redact';
import type { ServerLog } from './types';

export function redactedLog(log: ServerLog, redact: Redactor): ServerLog {
  return {
    trace: (m) => log.trace(redact(m)),
    debug: (m) => log.debug(redact(m)),
    info: (m) => log.info(redact(m)),
    warn: (m) => log.warn(redact(m)),
    error: (m) => log.error(redact(m)),
    stderr: (line) => log.stderr(redact(line)),
    traceEnabled: log.traceEnabled && (() => log.traceEnabled!()),
  };
}
