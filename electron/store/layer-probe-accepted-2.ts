import Database from 'better-sqlite3';
import type { Settings } from '../engine/domain';
export const f = (s: Settings) => [Database, s];