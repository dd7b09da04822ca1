/** Protocol limits Muster enforces and advertises in ServiceProviderConfig (RFC 7643 §5, RFC 9865). */
export const protocolLimits = {
  /** Page size when a list request gives no count. */
  defaultPageSize: 100,
  /** Largest page returned (`filter.maxResults`, `pagination.maxPageSize`). */
  maxPageSize: 1000,
  /** Most operations in one Bulk request. */
  bulkMaxOperations: 1000,
  /** Largest Bulk request body in bytes. */
  bulkMaxPayloadBytes: 1024 * 1024,
  /** Largest body of any other request in bytes (a group PUT with many members needs room). */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Deepest JSON nesting accepted in a request body. */
  maxJsonDepth: 32,
  /** Most PATCH operations in one request. */
  patchMaxOperations: 1000,
} as const;
