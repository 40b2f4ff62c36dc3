import { gatewayConfig } from './config';

const distributed = { host: '127.0.0.1', mode: 'distributed' as const };
const embedded = { host: '127.0.0.1', mode: 'embedded' as const };

describe('the gateway health and metrics port', () => {
  it('is the gRPC port + 1 for the gateway as a process of its own', () => {
    expect(gatewayConfig({}, distributed).httpPort).toBe(2114);
    expect(gatewayConfig({ TASHGHIL_KURRENT_PORT: '3113' }, distributed).httpPort).toBe(3114);
    expect(gatewayConfig({ TASHGHIL_KURRENT_PORT: '0' }, distributed).httpPort).toBe(0);
  });

  it('is none in the embedded platform unless set, whose own port answers health and metrics', () => {
    expect(gatewayConfig({}, embedded).httpPort).toBeUndefined();
    expect(gatewayConfig({ TASHGHIL_KURRENT_HTTP_PORT: '9114' }, embedded).httpPort).toBe(9114);
  });

  it('is none when set off, and refused when it is not a port', () => {
    expect(gatewayConfig({ TASHGHIL_KURRENT_HTTP_PORT: 'off' }, distributed).httpPort).toBeUndefined();
    expect(() => gatewayConfig({ TASHGHIL_KURRENT_HTTP_PORT: '70000' }, distributed)).toThrow(
      /TASHGHIL_KURRENT_HTTP_PORT must be a port number/,
    );
    expect(() => gatewayConfig({ TASHGHIL_KURRENT_PORT: '65535' }, distributed)).toThrow(/must be a port number/);
  });
});
