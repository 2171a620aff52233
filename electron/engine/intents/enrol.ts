// The enrol phase: the device's name and PIN, its QR (or the secret typed by hand), and the first code that registers it.
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { KioskError } from '../../../shared/errors';
import type { CredentialChecks } from '../credentials';
import type { EngineContext } from '../engine';
import { sessionPin } from '../pin';
import { checkDeviceName, checkNewPin, CODE } from '../rules';
import { sealSecret } from '../secret-box';
import type { SessionDevice } from '../session';

export function enrolIntents(ctx: EngineContext, { checkPin, checkCode, pendingCounters }: CredentialChecks) {
  const { log, keyStore, now, requireStep, moveTo, refuse, newEnrolment, enrolmentExpired, renewIfExpired, snapshot } = ctx;

  async function addDevice({ deviceName, pin, pinConfirm }: ParsedInput<'addDevice'>): Promise<Snapshot> {
    const s = requireStep('add-device');
    const existing = s.agentId === null ? [] : log.devicesOf(s.agentId).map((d) => d.name);
    const bad = checkDeviceName(deviceName, existing) ?? checkNewPin(pin, pinConfirm);
    if (bad) throw new KioskError(bad.code, bad.params);
    // The agent never waits on the hash: it is computed while they scan the QR, and confirm-device checks
    // the PIN in memory; the device row is written only with the finished hash.
    s.draft = { name: deviceName, pin: sessionPin(pin) };
    s.enrolment = await newEnrolment(log.settings(), s);
    s.pendingPinFailures = 0;
    s.pendingCodeFailures = 0;
    moveTo(s, 'scan-qr');
    return snapshot();
  }

  async function revealSecret(): Promise<Snapshot> {
    const s = requireStep('scan-qr');
    s.enrolment ??= await newEnrolment(log.settings(), s);
    s.enrolment.revealed = true;
    log.transaction(() => log.append({ sessionId: s.id, at: now(), step: 'scan-qr', type: 'secret_revealed' }));
    return snapshot();
  }

  async function confirmDevice({ pin, code }: ParsedInput<'confirmDevice'>): Promise<Snapshot> {
    const s = requireStep('confirm-device');
    const draft = s.draft;
    if (!draft) throw new KioskError('not_allowed_in_step', { step: s.step });
    // Settled long since (the agent has scanned the QR and typed a code); a device row, active or locked,
    // is never written without it.
    const pinHash = await draft.pin.hash;
    if (enrolmentExpired(s)) {
      const error = refuse(s, () => undefined)('qr_expired', {});
      await renewIfExpired(s);
      throw error;
    }
    const enrolment = s.enrolment;
    if (!enrolment) throw new KioskError('qr_expired');
    const pending: SessionDevice = {
      id: null,
      name: draft.name,
      pinHash,
      sessionPin: draft.pin,
      secret: enrolment.secret,
      lastTimeStep: null,
      pinFailures: s.pendingPinFailures,
      codeFailures: s.pendingCodeFailures,
      registeredAt: now(),
    };
    const key = s.mode === 'enrolment' ? await keyStore.getKey() : null;
    const counters = pendingCounters(s, { name: draft.name, pinHash });
    if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
    await checkPin(s, pending, pin, counters);
    const { timeStep, offsetSeconds } = await checkCode(s, pending, { secret: enrolment.secret, code, pinFailures: 0 }, counters);
    const at = now();
    let id: number | null = null;
    log.transaction(() => {
      if (s.mode === 'enrolment' && key && s.agentId !== null) {
        id = log.insertDevice({
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
        });
      }
      log.append({
        sessionId: s.id,
        at,
        step: 'confirm-device',
        type: 'device_registered',
        details: { mode: s.mode, offsetSeconds },
      });
    });
    s.device = {
      ...pending,
      id,
      // A stored device keeps its secret sealed in its row only; training keeps it here until the session ends.
      secret: id === null ? enrolment.secret : null,
      lastTimeStep: timeStep,
      pinFailures: 0,
      codeFailures: 0,
      registeredAt: at,
    };
    s.draft = null;
    s.enrolment = null;
    moveTo(s, 'registered');
    return snapshot();
  }

  return { addDevice, revealSecret, confirmDevice };
}
