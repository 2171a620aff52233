// The agent flow's first module to run (main.ts imports it first): the page's first call to the engine leaves
// before Vue, the messages and the screens are evaluated, and its answer is back by the time they are.
import type { Result, Snapshot } from '../../shared/contract';
import { kioskClient } from './client';

/** `startPage`: the engine ends any session this page did not start (after F5 the next person finds welcome). */
export const firstSnapshot: Promise<Result<Snapshot>> = kioskClient().startPage({});
