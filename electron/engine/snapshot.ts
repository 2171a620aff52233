// The snapshot: what the renderer may show for the current step, read off the session and nothing more.
import type { Snapshot } from '../../shared/contract';
import type { Settings } from './domain';
import { practiceIssuer } from './practice-entry';
import { idleDeadline, idleSecondsOn } from './idle';
import { backFrom, type Session } from './session';
import { secretGroups } from './totp';

/**
 * Builds the snapshot of `s` (null: no session, the welcome screen). Each step carries only its own
 * fields: the secret only on scan-qr once revealed, the verification number only once revealed.
 */
export function buildSnapshot(s: Session | null, settings: Settings, now: number, canSaveRecap = false): Snapshot {
  const station: Snapshot['station'] = {
    name: settings.stationName,
    mode: settings.mode,
    language: s ? s.language : settings.language,
    status: settings.status,
    idleSeconds: settings.idleSeconds,
    keyboard: settings.hasKeyboard,
    allowedDomains: settings.allowedDomains,
  };
  if (!s) return { station, now, idle: null, step: 'welcome', canGoBack: false, canCancel: false };
  const common = { station, now, idle: idleDeadline(s.activeAt, idleSecondsOn(s.step, settings)) };
  // Nothing is left to cancel on done: the sign-in test has passed.
  const nav = { ...common, canGoBack: backFrom(s) !== null, canCancel: s.step !== 'done' };
  switch (s.step) {
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
    case 'scan-qr':
      return {
        ...nav,
        step: 'scan-qr',
        qrSvg: s.enrolment.qrSvg,
        issuer: practiceIssuer(settings),
        email: s.email,
        expiresAt: s.enrolment.expiresAt,
        validitySeconds: settings.qrValiditySeconds,
        secretGroups: s.enrolment.revealed ? secretGroups(s.enrolment.secret) : null,
      };
    case 'confirm-device':
      return { ...nav, step: 'confirm-device', deviceName: s.draft.name, expiresAt: s.enrolment.expiresAt };
    case 'registered':
      return { ...nav, step: 'registered', deviceName: s.device.name, registeredAt: s.device.registeredAt };
    case 'test-login':
      return {
        ...nav,
        step: 'test-login',
        deviceName: s.device.name,
        method: s.chosen ? s.chosen.method : null,
        request:
          s.chosen?.method === 'qr'
            ? {
                qrSvg: s.chosen.request.qrSvg,
                requestNumber: s.chosen.request.requestNumber,
                verificationNumber: s.chosen.request.revealed ? s.chosen.request.verificationNumber : null,
              }
            : null,
      };
    case 'done':
      return {
        ...nav,
        step: 'done',
        deviceName: s.device.name,
        method: s.method,
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
