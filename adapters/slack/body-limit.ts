// Refuse oversized HTTP bodies before Bolt reads them (see limitBodies).
import type { HTTPReceiver } from '@slack/bolt';

/** Slack's own requests are a few kilobytes; anything over this is refused unread. */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

/**
 * Bolt reads a request's whole body before checking its signature, so an
 * unsigned 400 MB POST would be held in memory. Refuse bodies over 1 MB with
 * 413 before reading them: by their Content-Length, or once the bytes read pass it.
 */
export function limitBodies(receiver: HTTPReceiver): HTTPReceiver {
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    let refused = false;
    const tooLarge = () => {
      if (refused) return;
      refused = true;
      if (!res.headersSent) res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Request body too large');
      // Bolt may still try to answer the half-read request: that answer goes nowhere.
      res.writeHead = (() => res) as typeof res.writeHead;
      res.setHeader = (() => res) as typeof res.setHeader;
      res.end = (() => res) as typeof res.end;
      req.destroy();
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_SLACK_BODY_BYTES) return tooLarge();
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_SLACK_BODY_BYTES) tooLarge();
    });
    return inner(req, res);
  };
  return receiver;
}
