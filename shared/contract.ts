// The one contract between the renderer and the engine: every method with its input and output schema.
// Preload, ipc.ts, the browser-shell server and the renderer client are all loops over this list.
import { z } from 'zod';
import type { KioskErrorShape } from './errors';
import type { MethodName } from './methods';
import { LANGUAGES, MODES, SIGN_IN_METHODS } from './steps';
import { supervisorApi } from './supervisor-contract';
import type { SupervisorMethodName } from './supervisor-methods';

const language = z.enum(LANGUAGES);

/** What is logged of the recap on done: asked for, printed (or saved as PDF), or failed. */
export const RECAP_ACTIONS = ['asked', 'printed', 'saved', 'failed'] as const;
const empty = z.object({}).strict();
/** Short free-text inputs: bounded so a pasted novel is refused at the boundary, not stored. */
const text = (max: number) => z.string().max(max);

export const stationSchema = z.object({
  name: z.string(),
  mode: z.enum(MODES),
  language,
  /** ready: agents may start; setup-required: the first-run wizard has not run; out-of-service: see reason. */
  status: z.enum(['ready', 'setup-required', 'out-of-service']),
  /** Idle delay before the "Still there?" overlay, in seconds (PRODUCT.md: 120 by default). */
  idleSeconds: z.number().int().positive(),
  /** false: a touch-only station; the agent's text fields get an on-screen keyboard. */
  keyboard: z.boolean(),
  /** The allowed e-mail domains (empty: any), offered as one-touch keys by the on-screen keyboard. */
  allowedDomains: z.array(z.string()),
});

const common = {
  station: stationSchema,
  /** The station's clock (ms since epoch) when the snapshot was taken. */
  now: z.number(),
  /**
   * The engine's idle expiry (station time): "Still there?" from `warnsAt`, the session ended as timed_out at
   * `endsAt` by the engine itself. Input extends it (any intent, or `stillHere`). null on welcome.
   */
  idle: z.object({ warnsAt: z.number(), endsAt: z.number() }).nullable(),
  canGoBack: z.boolean(),
  canCancel: z.boolean(),
};

const svg = z.string();

export const snapshotSchema = z.discriminatedUnion('step', [
  z.object({ ...common, step: z.literal('welcome') }),
  z.object({
    ...common,
    step: z.literal('identify'),
    /**
     * Set once a returning agent with an active (or locked) device has been recognised. Until the device's PIN
     * is given (`verified`), nothing about the device is shown: `deviceName` is null. `askSupervisor`: locked
     * by wrong PINs, the device takes no PIN any more; a supervisor removes it.
     */
    returning: z
      .object({
        email: z.string(),
        locked: z.boolean(),
        askSupervisor: z.boolean(),
        verified: z.boolean(),
        deviceName: z.string().nullable(),
      })
      .nullable(),
  }),
  z.object({ ...common, step: z.literal('prepare-phone') }),
  z.object({ ...common, step: z.literal('add-device'), email: z.string() }),
  z.object({
    ...common,
    step: z.literal('scan-qr'),
    qrSvg: svg,
    issuer: z.string(),
    email: z.string(),
    expiresAt: z.number(),
    validitySeconds: z.number().int().positive(),
    /** The secret in groups of 4, only once the agent asked "Can't scan?". */
    secretGroups: z.array(z.string()).nullable(),
  }),
  z.object({ ...common, step: z.literal('confirm-device'), deviceName: z.string(), expiresAt: z.number() }),
  z.object({ ...common, step: z.literal('registered'), deviceName: z.string(), registeredAt: z.number() }),
  z.object({
    ...common,
    step: z.literal('test-login'),
    deviceName: z.string(),
    method: z.enum(SIGN_IN_METHODS).nullable(),
    /** The sign-in request of the QR method: its QR holds the verification number in its text. */
    request: z
      .object({
        qrSvg: svg,
        requestNumber: z.string(),
        /** Only once the agent asked "Can't scan?". */
        verificationNumber: z.string().nullable(),
      })
      .nullable(),
  }),
  z.object({
    ...common,
    step: z.literal('done'),
    deviceName: z.string(),
    method: z.enum(SIGN_IN_METHODS),
    /** For the recap the agent takes away: who, and the name of the practice entry their app now holds. */
    email: z.string(),
    issuer: z.string(),
    helpAddress: z.string(),
    helpQrSvg: svg,
    /** The real EU Login's addresses (settings an organisation may change). */
    signInAddress: z.string(),
    supportAddress: z.string(),
    /** The shell can save the recap as a PDF on a USB drive itself (Electron); otherwise it goes through printing. */
    canSaveRecap: z.boolean(),
  }),
]);

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotOf<S extends Snapshot['step']> = Extract<Snapshot, { step: S }>;

interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
}

/** Overloads keep each method's own input schema type, so handlers receive typed, parsed input. */
function intent(): { input: typeof empty; output: typeof snapshotSchema };
function intent<I extends z.ZodType>(input: I): { input: I; output: typeof snapshotSchema };
function intent(input: z.ZodType = empty) {
  return { input, output: snapshotSchema };
}

export const kioskApi = {
  getSnapshot: intent(),
  /**
   * A page (re)loaded: it shows no session it did not start. Any open session ends as abandoned, and the
   * answer is the welcome snapshot.
   */
  startPage: intent(),
  /** The agent gave input the engine would not otherwise see (a key, a touch): extends the idle expiry. */
  stillHere: intent(),
  /** welcome -> identify. */
  start: intent(z.object({ language }).strict()),
  /** identify: a new agent goes to prepare-phone; a returning one stays with `returning` set. */
  identify: intent(z.object({ email: text(254), acceptOffRoster: z.boolean().default(false) }).strict()),
  /** identify (returning agent): the device's PIN, which shows the device and its choices (counted towards the lock). */
  giveDevicePin: intent(z.object({ pin: text(16) }).strict()),
  /**
   * identify (returning agent, PIN given): test the sign-in now, or remove the device and enrol a new one.
   * Removing an active device also needs a current code from it; a locked one has no secret left to check.
   */
  chooseReturning: intent(z.object({ choice: z.enum(['test-sign-in', 'remove-device']), code: text(16).optional() }).strict()),
  /** Steps with nothing to type: prepare-phone, scan-qr, registered, done (back to welcome). */
  next: intent(),
  back: intent(),
  /** Ends the session as abandoned, back to welcome. */
  cancel: intent(),
  /** The idle countdown on screen ran out: ends the session as timed_out (if the engine has not already), back to welcome. */
  timeout: intent(),
  addDevice: intent(z.object({ deviceName: text(64), pin: text(16), pinConfirm: text(16) }).strict()),
  revealSecret: intent(),
  confirmDevice: intent(z.object({ pin: text(16), code: text(16) }).strict()),
  chooseSignInMethod: intent(z.object({ method: z.enum(SIGN_IN_METHODS).nullable() }).strict()),
  revealVerificationNumber: intent(),
  signIn: intent(
    z
      .object({
        pin: text(16).optional(),
        code: text(16),
        verificationNumber: text(8).optional(),
      })
      .strict(),
  ),
  /** done: the agent asked for the recap, and what became of it (logged; the recap itself never reaches the engine). */
  recordRecap: intent(z.object({ action: z.enum(RECAP_ACTIONS) }).strict()),
  /** done, recap open: the shell prints the page (the recap sheet alone) to a PDF on the first USB drive. */
  saveRecap: intent(),
  /** The first-run wizard and the supervisor console (shared/supervisor-contract.ts). */
  ...supervisorApi,
} as const satisfies { [M in MethodName]: MethodSpec };

export type KioskApiSpec = typeof kioskApi;
export type MethodInput<M extends MethodName> = z.input<KioskApiSpec[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<KioskApiSpec[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<KioskApiSpec[M]['output']>;

/** What crosses every boundary: nothing is thrown across it. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: KioskErrorShape };

/** The renderer's view of the engine: every method, async, never throwing. */
export type KioskApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

/** The engine's side: parsed input in, output out; refusals are thrown as KioskError. */
export type KioskHandlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

/** The guided session's part, which the engine implements; the supervisor's part comes from electron/engine/supervisor. */
export type SessionHandlers = Omit<KioskHandlers, SupervisorMethodName>;
