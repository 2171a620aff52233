// Reads a screen's layout like a person looking at it: every visible text block and control, where it is, what it overlaps.
import { expect, type Page } from '@playwright/test';

/** A visible text block or control, by its box in CSS pixels. */
export interface Block {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Layout {
  viewport: { width: number; height: number };
  /** Blocks that lie (partly) outside the viewport. */
  outside: Block[];
  /** Blocks cut by an ancestor that clips its content (overflow other than visible). */
  cut: { block: Block; by: string }[];
  /** Pairs of blocks that overlap, neither inside the other. */
  overlapping: [Block, Block][];
  /** The page, or a region of it, can be scrolled. */
  scrollable: string[];
}

/**
 * Collects the layout in the page. Text blocks are the boxes of the text itself (Range rects, not the element's
 * box, which may be wider than its words); controls are buttons, fields, images and QR codes. While a modal dialog
 * is open the page behind it is inert and covered on purpose: only the dialog is read.
 */
export async function readLayout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const TOLERANCE = 1;
    const CONTROLS = 'button, input, select, textarea, [role="img"], progress';
    const modal = document.querySelector<HTMLDialogElement>('dialog[open]');
    const root: Element = modal ?? document.body;

    const name = (el: Element): string => {
      const id = el.id ? `#${el.id}` : '';
      const testId = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${testId ? `[${testId}]` : ''}${cls} "${text}"`;
    };

    const hidden = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return true;
        // The visually-hidden pattern: present for screen readers, drawn nowhere.
        if (style.clipPath.startsWith('inset(50%')) return true;
        if (e.getAttribute('aria-hidden') === 'true' && e.closest('svg') === null && e.tagName !== 'svg') return true;
      }
      return false;
    };

    interface Found {
      el: Element;
      box: { left: number; top: number; right: number; bottom: number };
    }
    const found: Found[] = [];

    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.closest('svg') && el.tagName !== 'svg') continue;
      const isControl = el.matches(CONTROLS);
      const textNodes = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!isControl && textNodes.length === 0) continue;
      if (hidden(el)) continue;
      let box: Found['box'] | null = null;
      if (isControl) {
        const r = el.getBoundingClientRect();
        box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      } else {
        for (const node of textNodes) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of Array.from(range.getClientRects())) {
            if (r.width === 0 || r.height === 0) continue;
            box = box
              ? { left: Math.min(box.left, r.left), top: Math.min(box.top, r.top), right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom) }
              : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          }
        }
      }
      if (!box || box.right - box.left < 1 || box.bottom - box.top < 1) continue;
      found.push({ el, box });
    }

    const block = (f: Found) => ({ what: name(f.el), ...f.box });
    const width = window.innerWidth;
    const height = window.innerHeight;

    const outside = found
      .filter((f) => f.box.left < -TOLERANCE || f.box.top < -TOLERANCE || f.box.right > width + TOLERANCE || f.box.bottom > height + TOLERANCE)
      .map(block);

    const cut: Layout['cut'] = [];
    for (const f of found) {
      for (let e = f.el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const r = e.getBoundingClientRect();
        if (f.box.left < r.left - TOLERANCE || f.box.top < r.top - TOLERANCE || f.box.right > r.right + TOLERANCE || f.box.bottom > r.bottom + TOLERANCE) {
          cut.push({ block: block(f), by: name(e) });
          break;
        }
      }
    }

    const overlapping: Layout['overlapping'] = [];
    for (let i = 0; i < found.length; i += 1) {
      for (let j = i + 1; j < found.length; j += 1) {
        const a = found[i];
        const b = found[j];
        if (!a || !b || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (x > TOLERANCE && y > TOLERANCE) overlapping.push([block(a), block(b)]);
      }
    }

    const scrollable: string[] = [];
    const page = document.scrollingElement;
    if (page && (page.scrollHeight > page.clientHeight + TOLERANCE || page.scrollWidth > page.clientWidth + TOLERANCE)) scrollable.push('the page');
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const style = getComputedStyle(el);
      const scrollsY = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + TOLERANCE;
      const scrollsX = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + TOLERANCE;
      if (scrollsX || scrollsY) scrollable.push(name(el));
    }

    return { viewport: { width, height }, outside, cut, overlapping, scrollable };
  });
}

/** Nothing overlapping, nothing cut, nothing outside the viewport, nothing to scroll: the screen as `view` shows it. */
export async function expectEverythingFits(page: Page, view: string): Promise<void> {
  const layout = await readLayout(page);
  expect({ view, outside: layout.outside, cut: layout.cut, overlapping: layout.overlapping, scrollable: layout.scrollable }).toEqual({
    view,
    outside: [],
    cut: [],
    overlapping: [],
    scrollable: [],
  });
}

/** The console's rule is looser (its tables may scroll down) but it never scrolls sideways at 1366x768. */
export async function horizontalScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('*'))
      .filter((el) => {
        const style = getComputedStyle(el);
        const canScroll = /auto|scroll/.test(style.overflowX) || el === document.scrollingElement;
        return canScroll && el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${typeof el.className === 'string' ? el.className : ''}`),
  );
}
