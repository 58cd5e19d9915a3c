/**
 * A valid 1×1 PNG data URL returned as `totp.qr_code`. The wire format requires a data URL,
 * but drawing a real QR code would need a dependency; authenticator apps can use `totp.uri`
 * or the secret instead.
 */
export const QR_CODE_PLACEHOLDER =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
