export { bounded, type CloseInfo, DEFAULT_WAIT_MS, exchange, get, RawClient, withBody } from './raw-client.ts'
export { deferred, startServer, type TestServer, until } from './server.ts'
export { type ParseOptions, parseResponse, type WireResponse } from './wire.ts'
