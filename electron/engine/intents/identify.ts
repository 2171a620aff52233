// The identify phase: a session starts, the agent gives their address, a returning agent tests or replaces their device.
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import { localDay } from '../../../shared/days';
import { KioskError } from '../../../shared/errors';
import { stepIndex } from '../../../shared/steps';
import type { EngineContext } from '../engine';
import { checkEmail, normaliseEmail } from '../rules';
import { newSession } from '../session';

/** Back by more than this is a clock jump; less is the ordering noise of events written in one second. */
export const CLOCK_JUMP_TOLERANCE_MS = 60_000;

export function identifyIntents({ log, now, current, begin, requireStep, moveTo, snapshot }: EngineContext) {
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
    begin(newSession(id, settings.mode, language));
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
    s.returning = device ? { deviceId: device.id, deviceName: device.name, locked: device.status === 'locked' } : null;
    if (!s.returning) moveTo(s, 'prepare-phone');
    return snapshot();
  }

  async function chooseReturning({ choice }: ParsedInput<'chooseReturning'>): Promise<Snapshot> {
    const s = requireStep('identify');
    const r = s.returning;
    if (!r) throw new KioskError('not_allowed_in_step', { step: s.step });
    const row = log.getDevice(r.deviceId);
    if (choice === 'test-sign-in') {
      if (!row || row.status === 'locked') throw new KioskError('device_locked');
      s.device = {
        id: row.id,
        name: row.name,
        pinHash: row.pinHash,
        secret: null,
        lastTimeStep: row.lastTimeStep,
        pinFailures: row.pinFailures,
        codeFailures: row.codeFailures,
        registeredAt: row.activatedAt ?? row.createdAt,
      };
      s.method = null;
      s.request = null;
      s.returning = null;
      moveTo(s, 'test-login');
      return snapshot();
    }
    // "Gérer mes appareils mobiles" > delete: the device and its secret go now, then a new one is enrolled.
    log.transaction(() => {
      if (row) log.deleteDevice(row.id);
      log.append({ sessionId: s.id, at: now(), step: 'identify', type: 'device_removed' });
    });
    s.returning = null;
    moveTo(s, 'prepare-phone');
    return snapshot();
  }

  return { start, identify, chooseReturning };
}
