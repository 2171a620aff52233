import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyLog } from '../../../electron/store/verify';
import { snapshotSchema } from '../../../shared/contract';
import { dispatch } from '../../../electron/transport/dispatch';
import { ERROR_CODES } from '../../../shared/errors';
import { METHOD_NAMES, type MethodName } from '../../../shared/methods';
import { SUPERVISOR_METHOD_NAMES, type SupervisorMethodName } from '../../../shared/supervisor-methods';
import { openTestKiosk, PIN_OK } from './harness';

/** The guided session's methods: the contract's, without the supervisor's (which have their own tests). */
const SESSION_METHODS = METHOD_NAMES.filter(
  (name): name is Exclude<MethodName, SupervisorMethodName> => !(SUPERVISOR_METHOD_NAMES as readonly string[]).includes(name),
);

/** Inputs that the contract accepts, so the run gets deep into the session, not only refused at the door. */
const plausible: Record<(typeof SESSION_METHODS)[number], fc.Arbitrary<unknown>> = {
  getSnapshot: fc.constant({}),
  startPage: fc.constant({}),
  stillHere: fc.constant({}),
  start: fc.record({ language: fc.constantFrom('fr', 'en') }),
  identify: fc.record({
    email: fc.oneof(fc.constant('jeanne.martin@agriculture.gouv.fr'), fc.emailAddress(), fc.string({ maxLength: 60 })),
    acceptOffRoster: fc.boolean(),
  }),
  giveDevicePin: fc.record({ pin: fc.oneof(fc.constant(PIN_OK), fc.string({ maxLength: 6 })) }),
  chooseReturning: fc.record(
    { choice: fc.constantFrom('test-sign-in', 'remove-device'), code: fc.stringMatching(/^\d{0,7}$/) },
    { requiredKeys: ['choice'] },
  ),
  next: fc.constant({}),
  back: fc.constant({}),
  cancel: fc.constant({}),
  timeout: fc.constant({}),
  addDevice: fc.oneof(
    fc.constant({ deviceName: 'phone-1', pin: PIN_OK, pinConfirm: PIN_OK }),
    fc.record({ deviceName: fc.string({ maxLength: 40 }), pin: fc.string({ maxLength: 6 }), pinConfirm: fc.string({ maxLength: 6 }) }),
  ),
  revealSecret: fc.constant({}),
  confirmDevice: fc.record({ pin: fc.oneof(fc.constant(PIN_OK), fc.string({ maxLength: 6 })), code: fc.stringMatching(/^\d{0,7}$/) }),
  chooseSignInMethod: fc.record({ method: fc.constantFrom('qr', 'pin', null) }),
  revealVerificationNumber: fc.constant({}),
  saveRecap: fc.constant({}),
  recordRecap: fc.record({ action: fc.constantFrom('asked', 'printed', 'saved', 'failed') }),
  signIn: fc.record(
    {
      pin: fc.oneof(fc.constant(PIN_OK), fc.string({ maxLength: 6 })),
      code: fc.stringMatching(/^\d{0,7}$/),
      verificationNumber: fc.stringMatching(/^\d{0,3}$/),
    },
    { requiredKeys: ['code'] },
  ),
};

const wellFormed = fc
  .constantFrom(...SESSION_METHODS)
  .chain((method) => fc.record({ method: fc.constant<string>(method), input: plausible[method] }));

/** Any method name (known or not) with anything at all: wrong types, extra keys, huge strings, odd prototypes. */
const malformed = fc.record({
  method: fc.oneof(fc.constantFrom<string>(...SESSION_METHODS), fc.string({ maxLength: 12 })),
  input: fc.anything({ withObjectString: true, withNullPrototype: true, maxDepth: 2 }),
});

const command = fc.record({
  call: fc.oneof(wellFormed, malformed),
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400_000 })),
});

describe('every contract method under random and malformed input', () => {
  it('answers a typed error or a valid snapshot, never throws, and never corrupts the log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const k = await openTestKiosk();
        try {
          for (const { call, advanceMs } of commands) {
            k.clock.advance(advanceMs);
            const result = await dispatch(k.kiosk.handlers, call.method, call.input);
            if (result.ok) {
              expect(snapshotSchema.safeParse(result.value).success).toBe(true);
            } else {
              expect(ERROR_CODES).toContain(result.error.code);
              // 'internal' would mean an exception escaped the engine's own rules.
              expect(result.error.code).not.toBe('internal');
            }
          }
          expect(k.internalErrors).toEqual([]);
        } finally {
          k.close(true);
        }
        const db = new Database(join(k.dataDir, 'kiosk.db'), { readonly: true });
        try {
          expect(verifyLog(db).problem).toBeNull();
          expect(db.pragma('quick_check', { simple: true })).toBe('ok');
        } finally {
          db.close();
          rmSync(k.dataDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
