// A long console job (an export, a bundle, an import): shown as its start answered, then asked for its progress until it settles.
import { onBeforeUnmount, ref, shallowRef } from 'vue';

/** Jobs being followed now, on any screen: while one runs the console's idle rule does not close it (useConsoleIdle). */
export const jobsRunning = ref(0);

/** How often a running job is asked for its progress: smooth enough for a bar, light on the engine. */
export const POLL_MS = 300;

/**
 * `read` asks the engine for the job's progress (null when refused, its error already set for the screen);
 * `settled` runs once the job is no longer running.
 */
export function useJobProgress<P extends { state: string }>(read: () => Promise<P | null>, settled?: () => void) {
  const progress = shallowRef<P | null>(null);
  let poll: ReturnType<typeof setTimeout> | undefined;
  let counted = false;

  function count(running: boolean): void {
    if (running === counted) return;
    counted = running;
    jobsRunning.value += running ? 1 : -1;
  }

  async function follow(): Promise<void> {
    const current = await read();
    if (!current) {
      count(false);
      return;
    }
    progress.value = current;
    count(current.state === 'running');
    if (current.state === 'running') poll = setTimeout(() => void follow(), POLL_MS);
    else settled?.();
  }

  /** What starting the job answered; its progress is followed from there. */
  function started(first: P): void {
    progress.value = first;
    count(first.state === 'running');
    clearTimeout(poll);
    poll = setTimeout(() => void follow(), POLL_MS);
  }

  onBeforeUnmount(() => {
    clearTimeout(poll);
    count(false);
  });
  return { progress, follow, started };
}
