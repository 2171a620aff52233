// QR codes as SVG through qrcode, imported lazily: dark on white with the full 4-module quiet zone phone scanners need.
import type * as QRCodeModule from 'qrcode';
let loaded: Promise<typeof QRCodeModule> | null = null;

export async function qrSvg(text: string): Promise<string> {
  loaded ??= import('qrcode');
  const QRCode = await loaded;
  // Dark themes and a missing quiet zone are what break phone scanners (ISO/IEC 18004 asks for 4 modules).
  return QRCode.toString(text, {
    type: 'svg',
    margin: 4,
    errorCorrectionLevel: 'M',
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
}
