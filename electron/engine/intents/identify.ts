// The identify phase: a session starts, the agent gives their address, a returning agent proves their device, then tests or replaces it.
import type { ParsedInput } from '../../../shared/contract';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { localDay } from '../../../shared/days';
import { KioskError } from '../../../shared/errors';
import { stepIndex } from '../../../shared/steps';
import { checkCode, checkPin, deviceSecret, refusedCheck } from '../credentials';
import type { EngineLog } from '../ports';
import { checkEmail, CODE, normaliseEmail } from '../rules';
import { base, newSession, type Returning, type SessionAt, type SessionDevice } from '../session';
import { notAllowed, type IntentDeps, type Transition } from '../transition';

/** identify with a returning agent recognised, before (`false`) or after (`true`) they gave the device's PIN. */
export type ReturningAt<Verified extends boolean> = SessionAt<'identify'> & { returning: Returning & { verified: Verified } };

export function awaitsDevicePin(s: SessionAt<'identify'>): s is ReturningAt<false> {
  return s.returning !== null && !s.returning.verified;
}

export function gaveDevicePin(s: SessionAt<'identify'>): s is ReturningAt<true> {
  return s.returning !== null && s.returning.verified;
}

/**
 * welcome -> identify: the session's record opens with it. A station clock set back before it is not this
 * intent's to notice: the clock watch (engine/clock.ts `watchClock`, run before every call) logs each jump once.
 */
export async function start({ language }: ParsedInput<'start'>, { log, now }: IntentDeps): Promise<Transition> {
  const settings = log.settings();
  if (settings.status === 'setup-required') throw new KioskError('setup_required');
  if (settings.status === 'out-of-service') throw new KioskError('out_of_service');
  const at = now();
  return {
    next: (log) => {
      const id = log.startSession({
        station: settings.stationName,
        mode: settings.mode,
        startedAt: at,
        day: localDay(at),
        furthestStep: stepIndex('identify'),
      });
      return newSession(id, settings.mode, language, at);
    },
    events: [{ type: 'session_started', step: 'welcome', details: { mode: settings.mode, language } }],
  };
}

export async function identify(s: SessionAt<'identify'>, { email, acceptOffRoster }: ParsedInput<'identify'>, { log, now }: IntentDeps): Promise<Transition> {
  if (s.mode === 'training') {
    // PRODUCT.md training: a first name or nothing; nobody is looked up and nothing personal is kept.
    return { next: { ...base(s), email: email.trim(), step: 'prepare-phone' }, events: [] };
  }
  const settings = log.settings();
  const address = normaliseEmail(email);
  const bad = checkEmail(address, settings.allowedDomains);
  if (bad) throw new KioskError(bad.code, bad.params);
  const onRoster = log.onRoster(address);
  if (log.rosterIsLoaded() && !onRoster && !acceptOffRoster) throw new KioskError('email_not_on_roster');
  const known = log.findAgent(address);
  const kept = known ? log.devicesOf(known.id) : [];
  const device = kept.find((d) => d.status === 'active') ?? kept.find((d) => d.status === 'locked') ?? null;
  const locked = device?.status === 'locked';
  const returning = device
    ? {
        deviceId: device.id,
        deviceName: device.name,
        locked,
        askSupervisor: locked && device.pinFailures >= settings.maxPinAttempts,
        verified: false,
      }
    : null;
  const at = now();
  return {
    next: (log) => {
      const agent = log.touchAgent(address, at);
      log.setSessionAgent(s.id, agent.id);
      const identified = { ...base(s), email: address, agentId: agent.id };
      return returning ? { ...identified, step: 'identify', returning } : { ...identified, step: 'prepare-phone' };
    },
    events: [
      {
        type: 'identified',
        details: { returning: device !== null, onRoster, offRosterAccepted: !onRoster && acceptOffRoster },
      },
    ],
  };
}

/** The returning agent's device, as its row says now; gone: not allowed. */
function returningDevice(s: SessionAt<'identify'> & { returning: Returning }, log: EngineLog) {
  const row = log.getDevice(s.returning.deviceId);
  if (!row) throw notAllowed(s);
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
  return { row, device };
}

/**
 * "Gérer mes appareils mobiles" needs a signed-in account: here, the device's PIN. Wrong PINs count towards
 * the device's 5-PIN lock like any other; a device already locked by wrong PINs is the supervisor's to remove.
 */
export async function giveDevicePin(s: ReturningAt<false>, { pin }: ParsedInput<'giveDevicePin'>, { log }: IntentDeps): Promise<Transition> {
  const { row, device } = returningDevice(s, log);
  const settings = log.settings();
  if (row.status === 'locked' && row.pinFailures >= settings.maxPinAttempts) throw new KioskError('device_locked_ask_supervisor');
  const failure = await checkPin(device, pin, settings);
  if (failure) return refusedCheck(s, device, failure);
  return {
    next: { ...s, returning: { ...s.returning, verified: true } },
    // A right PIN ends a run of wrong ones ("5 wrong PINs in a row").
    writes: (log) => log.setDeviceFailures(row.id, 0, row.codeFailures),
    events: [{ type: 'device_pin_given', details: { locked: s.returning.locked } }],
  };
}

export async function chooseReturning(s: ReturningAt<true>, { choice, code = '' }: ParsedInput<'chooseReturning'>, deps: IntentDeps): Promise<Transition> {
  const { log, now } = deps;
  const { row, device } = returningDevice(s, log);
  if (choice === 'test-sign-in') {
    if (row.status === 'locked') throw new KioskError('device_locked');
    return { next: { ...base(s), step: 'test-login', device, chosen: null }, events: [] };
  }
  // Removing an active device proves it is in hand with a current code; a locked one has no secret left.
  if (row.status === 'active') {
    if (!CODE.test(code)) throw new KioskError('code_format', { digits: CODE_DIGITS });
    const accepted = await checkCode(device, { secret: await deviceSecret(device, deps), code, pinFailures: 0 }, now(), log.settings());
    if (!accepted.ok) return refusedCheck(s, device, accepted);
  }
  // "Gérer mes appareils mobiles" > delete: the device and its secret go now, then a new one is enrolled.
  return {
    next: { ...base(s), step: 'prepare-phone' },
    writes: (log) => log.deleteDevice(row.id),
    events: [{ type: 'device_removed', details: { locked: s.returning.locked } }],
  };
}
