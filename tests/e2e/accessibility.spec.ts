// WCAG 2.2 AA on every screen, in French and English: axe finds nothing, nothing scrolls, targets and text are large enough.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/kiosk';
import { walkEverySession, type View } from '../support/walk';

const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
];

/** What a person would notice on the screen in front of them, checked on one view. */
async function checkView(page: Page, view: View, language: string): Promise<string[]> {
  const problems: string[] = [];
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  for (const violation of axe.violations) {
    problems.push(`${language}/${view}: axe ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  }
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    if (overflow.x > 0 || overflow.y > 0) {
      problems.push(`${language}/${view}: scrolls at ${viewport.width}x${viewport.height} (${overflow.x}, ${overflow.y} px)`);
    }
  }
  await page.setViewportSize(VIEWPORTS[0] ?? { width: 1920, height: 1080 });
  const small = await page.evaluate(() => {
    const found: string[] = [];
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    for (const el of document.querySelectorAll('button, input, a[href], select, [role="button"]')) {
      if (!visible(el)) continue;
      const box = el.getBoundingClientRect();
      // WCAG 2.5.8 asks 24 px; the brief asks 44 px for a touch kiosk.
      if (box.width < 44 || box.height < 44) found.push(`target ${el.outerHTML.slice(0, 80)} is ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
    for (const el of document.querySelectorAll('main p, main li, main label, dialog p')) {
      if (!visible(el) || (el.textContent ?? '').trim() === '') continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 18) found.push(`text "${(el.textContent ?? '').trim().slice(0, 40)}" is ${size}px`);
    }
    return found;
  });
  for (const problem of small) problems.push(`${language}/${view}: ${problem}`);
  return problems;
}

for (const language of ['fr', 'en'] as const) {
  test(`every screen passes axe, fits without scrolling, with large targets and text (${language})`, async ({ kiosk: { page } }) => {
    test.setTimeout(120_000);
    if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
    const problems: string[] = [];
    await walkEverySession(page, `agent.${language}@agriculture.gouv.fr`, async (view) => {
      problems.push(...(await checkView(page, view, language)));
    });
    expect(problems).toEqual([]);
  });
}
