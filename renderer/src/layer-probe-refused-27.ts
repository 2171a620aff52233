import QRCode from 'qrcode';
export const f = QRCode;