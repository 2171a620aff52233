import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrSvg } from '../../../electron/engine/qr';

describe('QR codes', () => {
  it('draws dark modules on a white background with a 4-module quiet zone on every side', async () => {
    const text = 'otpauth://totp/EU%20Login:a%40b.fr?secret=ABCD&issuer=EU%20Login&algorithm=SHA1&digits=6&period=30';
    const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
    const svg = await qrSvg(text);
    const size = modules + 8;
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
    expect(svg).toContain(`<path fill="#ffffff" d="M0 0h${size}v${size}H0z"/>`);
    expect(svg).toContain('stroke="#000000"');
    // The first dark run starts 4 modules in (the quiet zone), never at the edge.
    expect(svg).toMatch(/stroke="#000000" d="M4 4\.5h/);
  });
});
