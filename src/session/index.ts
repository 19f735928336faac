// The FIX session engine's public surface (`tickgate/session`).
export { loadConfig, parseConfig, ConfigError, type Config } from '../config/config.js';
export { SessionRunner, backoffDelay, resolvePassword, type SessionRunnerOptions } from './runner.js';
export { FixSession, type AppMessage, type Rejection, type SessionEvent, type SessionState, type Connection } from './session.js';
export { sessionSchema, type SessionConfig } from './config.js';
export { MessageStore } from './store.js';
export { FixDictionary } from './dictionary.js';
export { validateMessage, REJECT_REASON, type Violation } from './validate.js';
export { newOrderSingle, executionReportOf, type Order, type ExecutionReport, type Side, type OrdType } from './orders.js';
export { attachApp, APPS, type AppName } from './apps.js';
export { Fields, TAG, MSG, fixTime, parseFixTime } from './codec.js';
export { FramerOrderPath, InboundLink, OutboundQueue, type OrderPath, type OrderVerdict } from './device-link.js';
