import { randomBytes } from 'node:crypto';
import { STEP_IDS } from '../../shared/steps';
export const f = [randomBytes, STEP_IDS, () => import('otplib')];