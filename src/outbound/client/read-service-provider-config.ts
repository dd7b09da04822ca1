/** What Muster uses from a target's ServiceProviderConfig (RFC 7643 §5); undefined where the document is silent. */
export interface ServiceProviderFeatures {
  readonly patch?: boolean;
  readonly filter?: boolean;
  /** The most resources a filtered list answers with. */
  readonly maxResults?: number;
  readonly bulk?: boolean;
  readonly bulkMaxOperations?: number;
  readonly bulkMaxPayloadSize?: number;
  readonly etag?: boolean;
  readonly sort?: boolean;
}

/** Reads the features out of a ServiceProviderConfig document, ignoring what is missing or of the wrong type. */
export function readServiceProviderConfig(document: Readonly<Record<string, unknown>>): ServiceProviderFeatures {
  const section = (name: string): Record<string, unknown> => {
    const key = Object.keys(document).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : document[key];
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };
  const flag = (value: unknown) => (typeof value === "boolean" ? value : undefined);
  const count = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined);
  const features: Record<string, boolean | number | undefined> = {
    patch: flag(section("patch").supported),
    filter: flag(section("filter").supported),
    maxResults: count(section("filter").maxResults),
    bulk: flag(section("bulk").supported),
    bulkMaxOperations: count(section("bulk").maxOperations),
    bulkMaxPayloadSize: count(section("bulk").maxPayloadSize),
    etag: flag(section("etag").supported),
    sort: flag(section("sort").supported),
  };
  return Object.fromEntries(Object.entries(features).filter(([, value]) => value !== undefined)) as ServiceProviderFeatures;
}

/** The features in words: "PATCH supported, filtering supported (at most 100 results), bulk not supported". */
export function describeFeatures(features: ServiceProviderFeatures): string {
  const said = (value: boolean | undefined, name: string) => (value === undefined ? `${name} not stated` : `${name} ${value ? "supported" : "not supported"}`);
  const filter = said(features.filter, "filtering") + (features.filter && features.maxResults !== undefined ? ` (at most ${features.maxResults} results)` : "");
  const bulk = said(features.bulk, "bulk") + (features.bulk && features.bulkMaxOperations !== undefined ? ` (at most ${features.bulkMaxOperations} operations)` : "");
  return [said(features.patch, "PATCH"), filter, bulk, said(features.etag, "ETags")].join(", ");
}
