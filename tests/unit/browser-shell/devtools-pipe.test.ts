// The DevTools pipe client: NUL-framed JSON in both directions, answers matched to their commands, events passed on.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCdpClient, type CdpEvent } from '../../../electron/browser-shell/devtools-pipe';

function pipe() {
  const toChromium = new PassThrough();
  const fromChromium = new PassThrough();
  const written: string[] = [];
  toChromium.on('data', (chunk: Buffer) => written.push(...chunk.toString().split('\0').filter(Boolean)));
  return { client: createCdpClient(toChromium, fromChromium), fromChromium, written };
}

describe('the DevTools pipe client', () => {
  it('writes each command as one NUL-terminated JSON message, and resolves it with its own answer', async () => {
    const { client, fromChromium, written } = pipe();
    const first = client.send('Target.getTargets');
    const second = client.send('Page.navigate', { url: 'http://127.0.0.1:1/' }, 'session-1');
    await new Promise((r) => setImmediate(r));
    expect(written.map((m) => JSON.parse(m))).toEqual([
      { id: 1, method: 'Target.getTargets', params: {} },
      { id: 2, method: 'Page.navigate', params: { url: 'http://127.0.0.1:1/' }, sessionId: 'session-1' },
    ]);
    // Answers in another order, the second cut across two chunks.
    fromChromium.write('{"id":2,"result":{"frameId":"f"}}\0{"id":1,"res');
    fromChromium.write('ult":{"targetInfos":[]}}\0');
    expect(await second).toEqual({ frameId: 'f' });
    expect(await first).toEqual({ targetInfos: [] });
  });

  it('passes events on with their session, and rejects a command the protocol refuses', async () => {
    const { client, fromChromium } = pipe();
    const events: CdpEvent[] = [];
    client.onEvent((event) => events.push(event));
    const refused = client.send('Target.attachToTarget', { targetId: 'x' });
    fromChromium.write('{"method":"Target.targetCreated","params":{"targetInfo":{"targetId":"t"}}}\0{"method":"Inspector.targetCrashed","params":{},"sessionId":"s"}\0');
    fromChromium.write('{"id":1,"error":{"code":-32000,"message":"Not allowed"}}\0not json\0');
    await expect(refused).rejects.toThrow('Not allowed');
    expect(events).toEqual([
      { method: 'Target.targetCreated', params: { targetInfo: { targetId: 't' } } },
      { method: 'Inspector.targetCrashed', params: {}, sessionId: 's' },
    ]);
  });

  it('rejects what is pending, and what is sent after, once Chromium has gone', async () => {
    const { client, fromChromium } = pipe();
    const pending = client.send('Browser.getVersion');
    fromChromium.end();
    fromChromium.resume();
    await client.closed;
    await expect(pending).rejects.toThrow('DevTools pipe closed');
    await expect(client.send('Browser.getVersion')).rejects.toThrow('DevTools pipe closed');
  });
});
