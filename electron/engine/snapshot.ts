// The snapshot: what the renderer may show for the current step, read off the session and nothing more.
import type { Snapshot } from '../../shared/contract';
import type { Settings } from './domain';
import { practiceIssuer } from './practice-entry';
import { idleDeadline, idleSecondsOn } from './idle';
import { backTarget, type Session } from './session';
import { secretGroups } from './totp';

/**
 * Builds the snapshot of `s` (null: no session, the welcome screen). Each step carries only its own
 * fields: the secret only on scan-qr once revealed, the verification number only once revealed.
 * The engine makes a step's QR before calling this; a missing one is a broken invariant, not input.
 */
export function buildSnapshot(s: Session | null, settings: Settings, now: number, canSaveRecap = false): Snapshot {
  const station: Snapshot['station'] = {
    name: settings.stationName,
    mode: settings.mode,
    language: s?.language ?? settings.language,
    status: settings.status,
    idleSeconds: settings.idleSeconds,
    keyboard: settings.hasKeyboard,
    allowedDomains: settings.allowedDomains,
  };
  if (!s) return { station, now, idle: null, step: 'welcome', canGoBack: false, canCancel: false };
  const common = { station, now, idle: idleDeadline(s.activeAt, idleSecondsOn(s.step, settings)) };
  // Nothing is left to cancel on done: the sign-in test has passed.
  const nav = { ...common, canGoBack: backTarget(s) !== null, canCancel: s.step !== 'done' };
  switch (s.step) {
    case 'welcome':
      return { ...nav, step: 'welcome' };
    case 'identify':
      return {
        ...nav,
        step: 'identify',
        // The device's name only once its PIN was given: an address alone reveals nothing of a colleague's device.
        returning: s.returning
          ? {
              email: s.email,
              locked: s.returning.locked,
              askSupervisor: s.returning.askSupervisor,
              verified: s.returning.verified,
              deviceName: s.returning.verified ? s.returning.deviceName : null,
            }
          : null,
      };
    case 'prepare-phone':
      return { ...nav, step: 'prepare-phone' };
    case 'add-device':
      return { ...nav, step: 'add-device', email: s.email };
    case 'scan-qr': {
      const e = s.enrolment;
      if (!e) throw new Error('scan-qr without an enrolment');
      return {
        ...nav,
        step: 'scan-qr',
        qrSvg: e.qrSvg,
        issuer: practiceIssuer(settings),
        email: s.email,
        expiresAt: e.expiresAt,
        validitySeconds: settings.qrValiditySeconds,
        secretGroups: e.revealed ? secretGroups(e.secret) : null,
      };
    }
    case 'confirm-device':
      return {
        ...nav,
        step: 'confirm-device',
        deviceName: s.draft?.name ?? '',
        expiresAt: s.enrolment?.expiresAt ?? now,
      };
    case 'registered':
      return {
        ...nav,
        step: 'registered',
        deviceName: s.device?.name ?? '',
        registeredAt: s.device?.registeredAt ?? now,
      };
    case 'test-login':
      return {
        ...nav,
        step: 'test-login',
        deviceName: s.device?.name ?? '',
        method: s.method,
        request: s.request
          ? {
              qrSvg: s.request.qrSvg,
              requestNumber: s.request.requestNumber,
              verificationNumber: s.request.revealed ? s.request.verificationNumber : null,
            }
          : null,
      };
    case 'done': {
      if (s.helpQrSvg === null) throw new Error('done without its help QR');
      return {
        ...nav,
        step: 'done',
        deviceName: s.device?.name ?? '',
        method: s.method ?? 'pin',
        email: s.email,
        issuer: practiceIssuer(settings),
        helpAddress: settings.helpAddress,
        helpQrSvg: s.helpQrSvg,
        signInAddress: settings.signInAddress,
        supportAddress: settings.supportAddress,
        canSaveRecap,
      };
    }
  }
}
