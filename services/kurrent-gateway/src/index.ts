export { GATEWAY_ROLES, type Caller, type GatewayRole } from './access';
export { gatewayConfig, type GatewayConfig } from './config';
export {
  isLoopback,
  PROTOCOL_VERSION,
  startGateway,
  SUPPORTED_METHODS,
  type Gateway,
  type GatewayOptions,
} from './gateway';
export { decodePosition, encodePosition } from './positions';
