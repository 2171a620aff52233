// The console's idle rule: it closes after CONSOLE_IDLE_SECONDS without input, and input, now and then, tells the engine the supervisor is there.
import { onBeforeUnmount, onMounted } from 'vue';
import { CONSOLE_IDLE_SECONDS } from '../../../shared/supervisor-methods';
import { useWindowInput } from '../composables/useWindowInput';
import { jobsRunning } from './useJobProgress';

/** Activity reaches the engine at most this often: enough to keep its 2-minute expiry ahead of the screen's. */
const PING_EVERY_MS = 30_000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'input', 'wheel'] as const;

interface ConsoleIdle {
  /** The engine has just heard from the supervisor (the console opened): the next ping can wait. */
  heard(): void;
  /** The console is closing: no idle close after it. */
  disarm(): void;
}

/** `idle` closes the console; `ping` tells the engine, and runs only while `unlocked()`. */
export function useConsoleIdle(idle: () => void, ping: () => void, unlocked: () => boolean): ConsoleIdle {
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastPing = 0;

  function arm(): void {
    clearTimeout(idleTimer);
    // A supervisor waiting for a verification or an import is there: the console closes only once it is over.
    idleTimer = setTimeout(() => (jobsRunning.value > 0 ? arm() : idle()), CONSOLE_IDLE_SECONDS * 1000);
  }

  /** Input in the console is supervisor activity: it keeps the console open here and, now and then, in the engine. */
  function onActivity(): void {
    arm();
    if (!unlocked() || Date.now() - lastPing < PING_EVERY_MS) return;
    lastPing = Date.now();
    ping();
  }

  useWindowInput(INPUT_EVENTS, onActivity);
  onMounted(arm);
  onBeforeUnmount(() => clearTimeout(idleTimer));

  return {
    heard: () => {
      lastPing = Date.now();
    },
    disarm: () => clearTimeout(idleTimer),
  };
}
