export { PARSE_ERROR_STATUS, ParseError, type ParseErrorCode, type ParseErrorStatus } from './errors.ts'
export { DEFAULT_LIMITS, NEED_DATA, RequestParser } from './parser.ts'
export {
  chunkHeader,
  type HeaderPairs,
  httpDate,
  InvalidHeaderError,
  isValidFieldName,
  isValidFieldValue,
  LAST_CHUNK,
  type RequestInit,
  type ResponseHeadInit,
  STATUS_REASONS,
  serializeRequest,
  serializeResponseHead,
  statusAllowsBody,
} from './serialize.ts'
export type {
  BodyFraming,
  ParserEvent,
  ParserLeniency,
  ParserLimits,
  ParserOptions,
  RequestHead,
  TargetForm,
} from './types.ts'
