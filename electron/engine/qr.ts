// QR codes as SVG through qrcode, imported lazily: dark on white with the full 4-module quiet zone phone scanners need.
export async function qrSvg(text: string): Promise<string> {
  const QRCode = await import('qrcode');
  // Dark themes and a missing quiet zone are what break phone scanners (ISO/IEC 18004 asks for 4 modules).
  return QRCode.toString(text, {
    type: 'svg',
    margin: 4,
    errorCorrectionLevel: 'M',
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
}
