// The names of the KioskApi methods. The renderer loops over this list to build its client without
// pulling the schema library into its bundle; contract.ts must give each name a schema (the compiler checks).
import { SUPERVISOR_METHOD_NAMES } from './supervisor-methods';

export const METHOD_NAMES = [
  'getSnapshot',
  'startPage',
  'stillHere',
  'start',
  'identify',
  'giveDevicePin',
  'chooseReturning',
  'next',
  'back',
  'cancel',
  'timeout',
  'addDevice',
  'revealSecret',
  'confirmDevice',
  'chooseSignInMethod',
  'revealVerificationNumber',
  'signIn',
  ...SUPERVISOR_METHOD_NAMES,
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}
