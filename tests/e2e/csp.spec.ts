// The page can reach nothing but the kiosk itself: the CSP blocks remote sources and inline scripts.
import { expect, test } from '../support/kiosk';

test('a remote image injected into the page is blocked by the CSP and never fetched', async ({ kiosk: { page } }) => {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Chromium reports the attempt as a request, then fails it before it leaves; no response may ever come back.
  const answered: string[] = [];
  page.on('response', (response) => answered.push(response.url()));

  const violation = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
        const image = document.createElement('img');
        image.src = 'http://203.0.113.7/tracker.png';
        document.body.append(image);
      }),
  );
  expect(violation).toBe('img-src');
  expect(answered.filter((url) => !url.startsWith(new URL(page.url()).origin))).toEqual([]);
});

test('an inline script injected into the page does not run', async ({ kiosk: { page } }) => {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const ran = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        document.addEventListener('securitypolicyviolation', () => resolve(false), { once: true });
        const script = document.createElement('script');
        script.textContent = 'document.title = "pwned"';
        document.body.append(script);
        setTimeout(() => resolve(document.title === 'pwned'), 500);
      }),
  );
  expect(ran).toBe(false);
});
