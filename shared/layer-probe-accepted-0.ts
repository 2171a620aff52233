import { z } from 'zod';
import { STEP_IDS } from './steps';
export const f = [z, STEP_IDS];