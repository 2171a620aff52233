// The enrol phase: the device's name and PIN, its QR (or the secret typed by hand), and the first code that registers it.
import type { ParsedInput } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { KioskError } from '../../../shared/errors';
import { checkCode, checkPin, type CheckFailure } from '../credentials';
import type { Settings } from '../domain';
import { sessionPin } from '../pin';
import { practiceIssuer } from '../practice-entry';
import { qrSvg } from '../qr';
import { checkDeviceName, checkNewPin, CODE } from '../rules';
import { sealSecret } from '../secret-box';
import { accountLabel, base, type Enrolment, type SessionAt, type SessionBase, type SessionDevice } from '../session';
import { keyUri, newSecret } from '../totp';
import { refused, type IntentDeps, type Transition } from '../transition';

/** A new secret and the QR that carries it, valid for the station's QR lifetime from `now`. */
async function newEnrolment(settings: Settings, s: SessionBase, now: number): Promise<Enrolment> {
  const secret = await newSecret();
  return {
    secret,
    qrSvg: await qrSvg(keyUri(practiceIssuer(settings), accountLabel(s), secret)),
    expiresAt: now + settings.qrValiditySeconds * 1000,
    revealed: false,
  };
}

/** The QR replaced, back on scan-qr: the old secret is dropped, so it no longer verifies. */
async function renewed(s: SessionAt<'scan-qr' | 'confirm-device'>, { log, now }: IntentDeps): Promise<Transition> {
  const enrolment = await newEnrolment(log.settings(), s, now());
  return { next: { ...s, step: 'scan-qr', enrolment }, events: [{ type: 'qr_renewed' }] };
}

/** An expired QR is replaced before anything else is answered; null when there is none to replace. */
export async function renewIfExpired(s: SessionAt<'scan-qr' | 'confirm-device'>, deps: IntentDeps): Promise<Transition | null> {
  return deps.now() >= s.enrolment.expiresAt ? renewed(s, deps) : null;
}

export async function addDevice(
  s: SessionAt<'add-device'>,
  { deviceName, pin, pinConfirm }: ParsedInput<'addDevice'>,
  { log, now }: IntentDeps,
): Promise<Transition> {
  const existing = s.agentId === null ? [] : log.devicesOf(s.agentId).map((d) => d.name);
  const bad = checkDeviceName(deviceName, existing) ?? checkNewPin(pin, pinConfirm);
  if (bad) throw new KioskError(bad.code, bad.params);
  // The agent never waits on the hash: it is computed while they scan the QR, and confirm-device checks
  // the PIN in memory; the device row is written only with the finished hash.
  const draft = { name: deviceName, pin: sessionPin(pin) };
  const enrolment = await newEnrolment(log.settings(), s, now());
  return { next: { ...s, step: 'scan-qr', draft, enrolment, pending: { pinFailures: 0, codeFailures: 0 } }, events: [] };
}

export async function revealSecret(s: SessionAt<'scan-qr'>): Promise<Transition> {
  return { next: { ...s, enrolment: { ...s.enrolment, revealed: true } }, events: [{ type: 'secret_revealed' }] };
}

/**
 * A refused check on the device being confirmed: its counters stay in the session; at the lock it is kept,
 * locked and without its secret, so the agent is recognised next time and offered removal.
 */
function refusedPending(s: SessionAt<'confirm-device'>, pinHash: Buffer, f: CheckFailure, at: number): Transition {
  const events = [refused(f.error)];
  if (!f.lock) return { next: { ...s, pending: { pinFailures: f.pinFailures, codeFailures: f.codeFailures } }, events };
  const agentId = s.mode === 'enrolment' ? s.agentId : null;
  const writes = (log: IntentDeps['log']) => {
    if (agentId === null) return;
    log.insertDevice({
      agentId,
      name: s.draft.name,
      status: 'locked',
      pinHash,
      secretBox: null,
      createdAt: at,
      activatedAt: null,
      lastTimeStep: null,
      pinFailures: f.pinFailures,
      codeFailures: f.codeFailures,
    });
  };
  return { next: { end: 'locked' }, events, writes };
}

export async function confirmDevice(s: SessionAt<'confirm-device'>, { pin, code }: ParsedInput<'confirmDevice'>, deps: IntentDeps): Promise<Transition> {
  const { log, keyStore, now } = deps;
  const { draft, enrolment } = s;
  // Settled long since (the agent has scanned the QR and typed a code); a device row, active or locked,
  // is never written without it.
  const pinHash = await draft.pin.hash;
  if (now() >= enrolment.expiresAt) {
    // Refused, then a new QR: the agent scans again.
    const renewal = await renewed(s, deps);
    return { ...renewal, events: [refused(new KioskError('qr_expired')), ...renewal.events] };
  }
  const pending: SessionDevice = {
    id: null,
    name: draft.name,
    pinHash,
    sessionPin: draft.pin,
    secret: enrolment.secret,
    lastTimeStep: null,
    pinFailures: s.pending.pinFailures,
    codeFailures: s.pending.codeFailures,
    registeredAt: now(),
  };
  const key = s.mode === 'enrolment' ? await keyStore.getKey() : null;
  if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
  const settings = log.settings();
  const pinFailure = await checkPin(pending, pin, settings);
  if (pinFailure) return refusedPending(s, pinHash, pinFailure, now());
  const accepted = await checkCode(pending, { secret: enrolment.secret, code, pinFailures: 0 }, now(), settings);
  if (!accepted.ok) return refusedPending(s, pinHash, accepted, now());
  const { timeStep, offsetSeconds } = accepted;
  const at = now();
  return {
    next: (log) => {
      const id =
        s.mode === 'enrolment' && key && s.agentId !== null
          ? log.insertDevice({
              agentId: s.agentId,
              name: draft.name,
              status: 'active',
              pinHash,
              secretBox: sealSecret(key, Buffer.from(enrolment.secret, 'utf8')),
              createdAt: at,
              activatedAt: at,
              lastTimeStep: timeStep,
              pinFailures: 0,
              codeFailures: 0,
            })
          : null;
      // A stored device keeps its secret sealed in its row only; training keeps it here until the session ends.
      const device = { ...pending, id, secret: id === null ? enrolment.secret : null, lastTimeStep: timeStep, pinFailures: 0, codeFailures: 0, registeredAt: at };
      return { ...base(s), step: 'registered', device };
    },
    events: [{ type: 'device_registered', details: { mode: s.mode, offsetSeconds } }],
  };
}
