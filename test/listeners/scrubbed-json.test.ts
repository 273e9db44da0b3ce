import { describe, expect, it } from 'vitest';
import { createScrubbedJson } from '../../src/listeners/scrubbed-json.js';

const message = {
  text: 'Sending domain mail.example.com',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: 'QFlowHub said: token tok-live-123456 expired' } },
  ],
  attachments: [{ color: '#2eb67d', blocks: [] }],
};

describe('createScrubbedJson', () => {
  it('serializes a message as JSON.stringify does, every string scrubbed', () => {
    const { json } = createScrubbedJson(() => ['tok-live-123456']);
    const envelope = {
      ...message,
      response_type: 'ephemeral',
      replace_original: false,
      thread_ts: undefined,
    };
    expect(JSON.parse(json(envelope))).toEqual({
      ...message,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'QFlowHub said: token [redacted] expired' } },
      ],
      response_type: 'ephemeral',
      replace_original: false,
    });
  });

  it('serializes the same block lists in a new envelope the same way', () => {
    const { json } = createScrubbedJson(() => ['tok-live-123456']);
    const once = JSON.parse(json({ ...message, response_type: 'ephemeral' }));
    const again = JSON.parse(json({ ...message, replace_original: true }));
    expect(again.blocks).toEqual(once.blocks);
    expect(again).toMatchObject({ replace_original: true, text: message.text });
    expect(again).not.toHaveProperty('response_type');
  });

  it('scrubs again, with the new list, once the secrets change (a token renewed)', () => {
    const secrets = ['s3cret-password'];
    const { json } = createScrubbedJson(() => secrets);
    expect(json(message)).toContain('tok-live-123456');
    secrets.push('tok-live-123456');
    expect(json(message)).not.toContain('tok-live-123456');
    expect(json(message)).toContain('token [redacted] expired');
  });

  it('scrubs a copy for an ack body, leaving the message as it was', () => {
    const { scrub } = createScrubbedJson(() => ['tok-live-123456']);
    expect(JSON.stringify(scrub(message))).not.toContain('tok-live-123456');
    expect(JSON.stringify(message)).toContain('tok-live-123456');
  });
});
