export { KubeBridge, type KubeBridgeOptions, type WorkflowObject } from './bridge.js';
export { readBridgeConfig, type BridgeConfig } from './config.js';
export { startBridgeService } from './service.js';
export { objectStatus, StatusWriter, type WorkflowObjectRef } from './status-writer.js';
