// The app:// handler serves the built renderer with the CSP header and nothing outside its folder.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler } from '../../../electron/shell/app-protocol';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../../../electron/transport/static-files';

let root: string;
let rendererDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kiosk-app-protocol-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'outside');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the files app:// serves', () => {
  it('maps app URLs into the renderer folder, / to index.html', async () => {
    const handler = appProtocolHandler(rendererDir);
    expect(await (await handler(new Request('app://kiosk/'))).text()).toContain('<title>kiosk</title>');
    expect(await (await handler(new Request('app://kiosk/assets/app.js?v=1#x'))).text()).toBe('console.log(1)');
  });

  it('never serves a file outside the folder (dots, encodings, a symlink pointing out) nor a URL that is not the app', async () => {
    await symlink(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
    const handler = appProtocolHandler(rendererDir);
    for (const url of [
      'app://kiosk/../secret.txt',
      'app://kiosk/%2e%2e/secret.txt',
      'app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://kiosk/..%5c..%5csecret.txt',
      'app://kiosk/index.html%00.js',
      'app://kiosk/%E0%A4%A',
      'app://kiosk/assets/link.txt',
      'app://kiosk/assets/',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('outside');
    }
  });
});

describe('appProtocolHandler', () => {
  it('serves a file with its type and the CSP, nosniff and frame headers', async () => {
    const response = await appProtocolHandler(rendererDir)(new Request('app://kiosk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>kiosk</title>');
  });

  it('lets only content-hashed code be cached, never the page or another file', async () => {
    await writeFile(join(rendererDir, 'assets', 'index-C_s-eSJO.js'), 'export {};');
    const handler = appProtocolHandler(rendererDir);
    const hashed = await handler(new Request('app://kiosk/assets/index-C_s-eSJO.js'));
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await handler(new Request('app://kiosk/'))).headers.get('cache-control')).toBe('no-store');
    expect((await handler(new Request('app://kiosk/assets/app.js'))).headers.get('cache-control')).toBe('no-store');
    expect((await handler(new Request('app://kiosk/assets/missing-C_s-eSJO.js'))).headers.get('cache-control')).toBe('no-store');
  });

  it('answers 404 for a missing file or a path outside the folder, still with the CSP', async () => {
    const handler = appProtocolHandler(rendererDir);
    const missing = await handler(new Request('app://kiosk/nope.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler(new Request('app://kiosk/%2e%2e/secret.txt'))).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await appProtocolHandler(rendererDir)(new Request('app://kiosk/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });

  it('serves unknown file types as inert bytes', () => {
    expect(contentTypeOf('x.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x.exe')).toBe('application/octet-stream');
  });
});

describe('the CSP the app is served with', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows only the app itself by default, for scripts and for connections', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('forbids inline and evaluated code, plugins, base rewriting, forms and framing', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*|https?:/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows images only from the app and data: URLs', () => {
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
  });
});
