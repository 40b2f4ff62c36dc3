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
export { CategorySelection } from './sink/categories';
export { auditMirror, type MirrorAudit, type MirrorAuditOptions } from './sink/mirror-audit';
export { isKurrentConnectionString } from './sink/sink-config';
export { sinkCheckpointName, startKurrentSink, type KurrentSink, type SinkOptions } from './sink/kurrent-sink';
