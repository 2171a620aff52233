// Storage failures are told apart, so the supervisor reads "disk full" rather than a stack trace; bugs stay internal.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/transport/dispatch';
import type { KioskHandlers } from '../../../shared/contract';
import { guardStorage, outOfServiceHandlers } from '../../../electron/engine/out-of-service';
import { storageFailure } from '../../../electron/store/storage-errors';

const failWith = (code: string) => Object.assign(new Error(code), { code });

describe('out of service', () => {
  it.each([
    ['SQLITE_FULL', 'disk_full'],
    ['ENOSPC', 'disk_full'],
    ['SQLITE_READONLY', 'data_folder_unwritable'],
    ['EROFS', 'data_folder_unwritable'],
    ['EACCES', 'data_folder_unwritable'],
    ['SQLITE_CANTOPEN', 'log_unreadable'],
    ['SQLITE_NOTADB', 'log_corrupt'],
  ])('names %s as %s', (code, reason) => {
    expect(storageFailure(failWith(code))).toBe(reason);
  });

  it('leaves a programming error alone', () => {
    expect(storageFailure(new TypeError('x is undefined'))).toBeNull();
    expect(storageFailure('a string')).toBeNull();
  });

  it('turns a storage failure inside a handler into out_of_service with its reason, and a bug into internal', async () => {
    const failing = outOfServiceHandlers('unknown');
    const handlers = {
      ...failing,
      start: async () => {
        throw failWith('SQLITE_FULL');
      },
      next: async () => {
        throw new TypeError('bug');
      },
    } as KioskHandlers;
    const seen: string[] = [];
    const guarded = guardStorage(handlers, { failureOf: storageFailure }, (reason) => seen.push(reason));
    expect(await dispatch(guarded, 'start', { language: 'fr' })).toEqual({
      ok: false,
      error: { code: 'out_of_service', params: { reason: 'disk_full' } },
    });
    expect(await dispatch(guarded, 'next', {})).toEqual({ ok: false, error: { code: 'internal', params: {} } });
    expect(seen).toEqual(['disk_full']);
  });
});
