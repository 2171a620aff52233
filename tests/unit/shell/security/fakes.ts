// Fakes for the shell's guards: a WebContents that records listeners, a preventable event, a log that says nothing.
import { vi } from 'vitest';

export const quiet = () => {};

export function preventable(url?: string) {
  return { url, preventDefault: vi.fn() };
}

type Listener = (...args: never[]) => void;

/** Records listeners the way a WebContents does, typed loosely enough to take any guard's listener. */
export class FakeContents {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    // The fake delivers whatever the test passes, as Electron delivers its own event arguments.
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  closeDevTools = vi.fn();
  forcefullyCrashRenderer = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
}
