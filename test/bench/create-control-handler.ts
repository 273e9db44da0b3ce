import type { ServerResponse } from 'node:http';
import type { BackendsStats, WaitRequest } from './bench-backends.js';
import { type BenchSimulator, QFLOW_API_PREFIX, TOKEN_PATH } from './bench-simulator.js';
import { CONTROL_PREFIX, type ControlHandler } from './start-capture-slack.js';

const json = (res: ServerResponse, status: number, value: unknown) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));

/**
 * The bench's control endpoint on the capture server, in the backends process:
 * GET stats, POST reset (forgets the replies, answers the stats), POST wait (for the replies to some ids),
 * POST close-idle (closes the idle kept-alive connections, answers the stats).
 */
export function createControlHandler(simulator: BenchSimulator): ControlHandler {
  return (capture, request, res) => {
    const stats = (): BackendsStats => {
      let tokenRequests = 0;
      let qflowRequests = 0;
      for (const { path } of simulator.requests) {
        if (path === TOKEN_PATH) tokenRequests += 1;
        else if (path.startsWith(QFLOW_API_PREFIX)) qflowRequests += 1;
      }
      const state = simulator.state();
      return {
        tokenRequests,
        qflowRequests,
        qflowConnections: state.counters.connections,
        slackConnections: capture.connections(),
        domainId: state.domain?.id ?? null,
        replies: Object.fromEntries(capture.replies),
      };
    };
    const route = `${request.method} ${request.path.slice(CONTROL_PREFIX.length)}`;
    switch (route) {
      case 'GET stats':
        json(res, 200, stats());
        break;
      case 'POST reset':
        capture.clear();
        json(res, 200, stats());
        break;
      case 'POST close-idle':
        capture.closeIdleConnections();
        json(res, 200, stats());
        break;
      case 'POST wait': {
        const { ids, timeoutMs } = JSON.parse(request.body) as WaitRequest;
        void capture.waitFor(ids, timeoutMs).then(() => {
          json(res, 200, { missing: ids.filter((id) => !capture.replies.has(id)).length });
        });
        break;
      }
      default:
        json(res, 404, { error: `no control route ${route}` });
    }
  };
}
