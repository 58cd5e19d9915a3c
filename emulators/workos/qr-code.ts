import QRCode from 'qrcode';

/**
 * `totp.qr_code` as WorkOS sends it: a PNG data URL of the factor's `otpauth://` URI, drawn by `qrcode` (the QR
 * library of the npm ecosystem), so an authenticator app can scan what the enrollment page shows.
 */
export function qrCodeDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 5 });
}
