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
  /** Largest body of any other request in bytes. */
  maxBodyBytes: 4 * 1024 * 1024,
  /**
   * Largest Group POST, PUT or PATCH body in bytes: a full membership of the largest group Muster is built
   * for (100,000 members, about 8–10 MB as Okta sends it, with room for long display names and `$ref`s).
   */
  maxGroupBodyBytes: 32 * 1024 * 1024,
  /** Deepest JSON nesting accepted in a request body. */
  maxJsonDepth: 32,
  /** Most PATCH operations in one request. */
  patchMaxOperations: 1000,
} as const;
