// Calls the browser shell's API from the test runner, as the kiosk's own page would: same origin, same token.
import { request as httpRequest } from 'node:http';
import type { Result } from '../../shared/contract';

export interface ApiTarget {
  origin: string;
  token: string;
}

/** The supervisor's or the wizard's own methods, for arranging a test; never a way around what a screen shows. */
export function callApi(target: ApiTarget, method: string, input: object = {}): Promise<Result<unknown>> {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${target.origin}/api/${method}`,
      {
        method: 'POST',
        headers: {
          origin: target.origin,
          'x-kiosk-token': target.token,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          try {
            resolve(JSON.parse(text) as Result<unknown>);
          } catch {
            reject(new Error(`${method}: HTTP ${response.statusCode} ${text}`));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
