// The identify phase: a session starts, the agent gives their address, a returning agent proves their device, then tests or replaces it.
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { localDay } from '../../../shared/days';
import { KioskError } from '../../../shared/errors';
import { stepIndex } from '../../../shared/steps';
import type { CredentialChecks } from '../credentials';
import type { EngineContext } from '../engine';
import { checkEmail, CODE, normaliseEmail } from '../rules';
import { newSession, type Session, type SessionDevice } from '../session';

/** Back by more than this is a clock jump; less is the ordering noise of events written in one second. */
export const CLOCK_JUMP_TOLERANCE_MS = 60_000;

export function identifyIntents(
  { log, now, current, begin, requireStep, moveTo, snapshot }: EngineContext,
  { deviceSecret, checkPin, checkCode }: CredentialChecks,
) {
  /**
   * A station clock set back (a dead CMOS battery, a bad NTP answer) makes codes look wrong and the log's
   * times lie: when a new session starts before the newest event, the jump is logged for the supervisor.
   */
  function noteClockJump(at: number): void {
    const last = log.lastEventAt();
    if (last !== null && last - at > CLOCK_JUMP_TOLERANCE_MS) {
      log.append({ sessionId: null, at, step: null, type: 'clock_jumped_back', details: { seconds: Math.round((last - at) / 1000) } });
    }
  }

  async function start({ language }: ParsedInput<'start'>): Promise<Snapshot> {
    const open = current();
    if (open) throw new KioskError('not_allowed_in_step', { step: open.step });
    const settings = log.settings();
    if (settings.status === 'setup-required') throw new KioskError('setup_required');
    if (settings.status === 'out-of-service') throw new KioskError('out_of_service');
    const at = now();
    const id = log.transaction(() => {
      noteClockJump(at);
      const sessionId = log.startSession({
        station: settings.stationName,
        mode: settings.mode,
        startedAt: at,
        day: localDay(at),
        furthestStep: stepIndex('identify'),
      });
      log.append({ sessionId, at, step: 'welcome', type: 'session_started', details: { mode: settings.mode, language } });
      log.append({ sessionId, at, step: 'identify', type: 'step', details: { from: 'welcome' } });
      return sessionId;
    });
    begin(newSession(id, settings.mode, language, at));
    return snapshot();
  }

  async function identify({ email, acceptOffRoster }: ParsedInput<'identify'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const settings = log.settings();
    if (s.mode === 'training') {
      // PRODUCT.md training: a first name or nothing; nobody is looked up and nothing personal is kept.
      s.email = email.trim();
      s.returning = null;
      moveTo(s, 'prepare-phone');
      return snapshot();
    }
    const address = normaliseEmail(email);
    const bad = checkEmail(address, settings.allowedDomains);
    if (bad) throw new KioskError(bad.code, bad.params);
    const onRoster = log.onRoster(address);
    if (log.rosterIsLoaded() && !onRoster && !acceptOffRoster) throw new KioskError('email_not_on_roster');
    const known = log.findAgent(address);
    const kept = known ? log.devicesOf(known.id) : [];
    const device = kept.find((d) => d.status === 'active') ?? kept.find((d) => d.status === 'locked') ?? null;
    const at = now();
    const agentId = log.transaction(() => {
      const agent = log.touchAgent(address, at);
      log.setSessionAgent(s.id, agent.id);
      log.append({
        sessionId: s.id,
        at,
        step: 'identify',
        type: 'identified',
        details: { returning: device !== null, onRoster, offRosterAccepted: !onRoster && acceptOffRoster },
      });
      return agent.id;
    });
    s.email = address;
    s.agentId = agentId;
    const locked = device?.status === 'locked';
    s.returning = device
      ? {
          deviceId: device.id,
          deviceName: device.name,
          locked,
          askSupervisor: locked && device.pinFailures >= settings.maxPinAttempts,
          verified: false,
        }
      : null;
    if (!s.returning) moveTo(s, 'prepare-phone');
    return snapshot();
  }

  /** The returning agent's device, as its row says now; gone, or no returning agent: not allowed. */
  function returningDevice(s: Session) {
    const r = s.returning;
    const row = r ? log.getDevice(r.deviceId) : null;
    if (!r || !row) throw new KioskError('not_allowed_in_step', { step: s.step });
    const device: SessionDevice = {
      id: row.id,
      name: row.name,
      pinHash: row.pinHash,
      // Enrolled in an earlier session: its PIN is checked against the stored scrypt hash.
      sessionPin: null,
      secret: null,
      lastTimeStep: row.lastTimeStep,
      pinFailures: row.pinFailures,
      codeFailures: row.codeFailures,
      registeredAt: row.activatedAt ?? row.createdAt,
    };
    // The device's row holds its counters; a lock locks (and empties) the row.
    const counters = {
      save: (pinFailures: number, codeFailures: number) => log.setDeviceFailures(row.id, pinFailures, codeFailures),
      lock: (pinFailures: number, codeFailures: number) => log.lockDevice(row.id, pinFailures, codeFailures),
    };
    return { r, row, device, counters };
  }

  /**
   * "Gérer mes appareils mobiles" needs a signed-in account: here, the device's PIN. Wrong PINs count towards
   * the device's 5-PIN lock like any other; a device already locked by wrong PINs is the supervisor's to remove.
   */
  async function giveDevicePin({ pin }: ParsedInput<'giveDevicePin'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const { r, row, device, counters } = returningDevice(s);
    if (r.verified) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (row.status === 'locked' && row.pinFailures >= log.settings().maxPinAttempts) {
      throw new KioskError('device_locked_ask_supervisor');
    }
    await checkPin(s, device, pin, counters);
    log.transaction(() => {
      // A right PIN ends a run of wrong ones ("5 wrong PINs in a row").
      log.setDeviceFailures(row.id, 0, row.codeFailures);
      log.append({ sessionId: s.id, at: now(), step: 'identify', type: 'device_pin_given', details: { locked: r.locked } });
    });
    r.verified = true;
    return snapshot();
  }

  async function chooseReturning({ choice, code }: ParsedInput<'chooseReturning'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const { r, row, device, counters } = returningDevice(s);
    if (!r.verified) throw new KioskError('not_allowed_in_step', { step: s.step });
    if (choice === 'test-sign-in') {
      if (row.status === 'locked') throw new KioskError('device_locked');
      s.device = device;
      s.method = null;
      s.request = null;
      s.returning = null;
      moveTo(s, 'test-login');
      return snapshot();
    }
    // Removing an active device proves it is in hand with a current code; a locked one has no secret left.
    if (row.status === 'active') {
      if (!CODE.test(code ?? '')) throw new KioskError('code_format', { digits: CODE_DIGITS });
      await checkCode(s, device, { secret: await deviceSecret(device), code: code ?? '', pinFailures: 0 }, counters);
    }
    // "Gérer mes appareils mobiles" > delete: the device and its secret go now, then a new one is enrolled.
    log.transaction(() => {
      log.deleteDevice(row.id);
      log.append({ sessionId: s.id, at: now(), step: 'identify', type: 'device_removed', details: { locked: r.locked } });
    });
    s.returning = null;
    moveTo(s, 'prepare-phone');
    return snapshot();
  }

  return { start, identify, giveDevicePin, chooseReturning };
}
