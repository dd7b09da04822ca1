import ipaddr from "ipaddr.js";

/** Why an address is refused, in words ("a loopback address"); undefined when it may be used. */
export type AddressVerdict = string | undefined;

const rangeWords: Readonly<Record<string, string>> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  private: "a private address (RFC 1918)",
  uniqueLocal: "a unique-local address (fc00::/7)",
  reserved: "a reserved address",
  benchmarking: "a benchmarking address",
  deprecatedSiteLocal: "a site-local address",
};

/** The NAT64 well-known prefix (RFC 6052): the last 32 bits are an IPv4 address reached through a translator. */
const nat64 = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

/**
 * Judges one IP address for server-side request forgery: only global unicast is allowed. Loopback,
 * private (RFC 1918), unique-local, link-local, CGNAT, unspecified, multicast, broadcast and reserved
 * ranges are refused, as are IPv4-mapped (::ffff:a.b.c.d) and NAT64 forms of such IPv4 addresses and
 * IPv6 transition ranges (6to4, Teredo) that could tunnel to them. Unparseable text is refused.
 */
export function judgeAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return "not an IP address";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.match(nat64)) parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  const range = parsed.range();
  if (range === "unicast") return undefined;
  return rangeWords[range] ?? `an address in the ${range} range`;
}
