/**
 * The catalog service: owns the stocks. Quotes them and applies trades atomically.
 *   GET  /catalog/stocks/:name → 200 {"data": {name, price, quantity}} | 404
 *   POST /catalog/orders {name, quantity, type} → 200 {"data": {name, price, quantity, volume}} | 400 | 404
 */
import type { Routes } from '../../src/index.ts'
import { dataResponse, errorResponse } from './json-response.ts'
import { type ServiceHandle, type ServiceOptions, startService } from './service.ts'
import { StockBook } from './stock-book.ts'
import { parseOrder, validateStockName } from './validate.ts'

export function catalogRoutes(book: StockBook): Routes {
  return {
    GetStock: {
      pattern: '/catalog/stocks/:name',
      method: 'GET',
      handler: (req) => {
        const name = validateStockName(req.params.name)
        if (!name.ok) return errorResponse(400, name.message)
        const stock = book.get(name.value)
        if (stock === undefined) return errorResponse(404, 'stock not found')
        return dataResponse({ name: stock.name, price: stock.price, quantity: stock.quantity })
      },
    },
    Trade: {
      pattern: '/catalog/orders',
      method: 'POST',
      handler: async (req) => {
        const order = parseOrder(req.body)
        if (!order.ok) return errorResponse(400, order.message)
        const outcome = await book.trade(order.value)
        if (outcome.ok) return dataResponse(outcome.stock)
        switch (outcome.reason) {
          case 'not-found':
            return errorResponse(404, 'stock not found')
          case 'insufficient':
            return errorResponse(
              400,
              `quantity exceeds availability: ${order.value.quantity} requested, ${outcome.available} available`,
            )
          case 'too-large':
            return errorResponse(400, 'quantity is too large')
        }
      },
    },
  }
}

export interface CatalogOptions extends ServiceOptions {
  /** Injected by tests (e.g. a book without its lock, to watch the checker catch the race). */
  readonly book?: StockBook
}

export function startCatalog(options: CatalogOptions = {}): Promise<ServiceHandle> {
  return startService(catalogRoutes(options.book ?? new StockBook()), options)
}
