import * as otplib from 'otplib';
export const f = otplib;