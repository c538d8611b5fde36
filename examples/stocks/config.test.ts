import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, originOf } from './config.ts'

describe('loadConfig', () => {
  it('defaults to the ports of the original example on loopback', () => {
    const config = loadConfig({})
    expect(config.gateway).toEqual({ host: '127.0.0.1', port: 8080 })
    expect(config.order).toEqual({ host: '127.0.0.1', port: 6060 })
    expect(config.catalog).toEqual({ host: '127.0.0.1', port: 7070 })
  })

  it('reads *_PORT and *_HOST from the environment, port 0 included', () => {
    const config = loadConfig({ GATEWAY_PORT: '0', ORDER_HOST: '::1', ORDER_PORT: '6161', CATALOG_HOST: '' })
    expect(config.gateway.port).toBe(0)
    expect(config.order).toEqual({ host: '::1', port: 6161 })
    expect(config.catalog.host).toBe('127.0.0.1')
  })

  it.each(['abc', '-1', '65536', '80.5', ' 80'])(
    'refuses GATEWAY_PORT=%j with a message naming it',
    (value) => {
      expect(() => loadConfig({ GATEWAY_PORT: value })).toThrow(ConfigError)
      expect(() => loadConfig({ GATEWAY_PORT: value })).toThrow(/GATEWAY_PORT/)
    },
  )

  it('reads the downstream timeouts', () => {
    const config = loadConfig({ DOWNSTREAM_TIMEOUT_MS: '250', CONNECT_TIMEOUT_MS: '100' })
    expect(config.downstreamTimeoutMs).toBe(250)
    expect(config.connectTimeoutMs).toBe(100)
    expect(() => loadConfig({ DOWNSTREAM_TIMEOUT_MS: '0' })).toThrow(/DOWNSTREAM_TIMEOUT_MS/)
  })
})

describe('originOf', () => {
  it('brackets IPv6 literals', () => {
    expect(originOf({ host: '127.0.0.1', port: 80 })).toBe('http://127.0.0.1:80')
    expect(originOf({ host: '::1', port: 80 })).toBe('http://[::1]:80')
  })
})
