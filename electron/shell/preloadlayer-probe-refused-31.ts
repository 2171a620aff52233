import { CONTRACT } from '../../shared/contract';
export const f = CONTRACT;