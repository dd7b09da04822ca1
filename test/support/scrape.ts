import { Readable } from "node:stream";
import { getMetricsFromStream, type PromData, type PromHistogramData, type PromMetrics } from "prom2javascript";

/** A scrape of /metrics: the text as served and the families a third-party parser (prom2javascript) read from it. */
export interface Scrape {
  readonly text: string;
  readonly families: PromMetrics;
}

/** Parses a Prometheus text exposition with prom2javascript, which rejects malformed lines. */
export async function parseExposition(text: string): Promise<Scrape> {
  return { text, families: await getMetricsFromStream(Readable.from([text])) };
}

/** GETs a /metrics URL (with the bearer token when given), expects 200 in the Prometheus text format, and parses it. */
export async function scrape(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  if (!/^text\/plain; version=0\.0\.4/.test(response.headers.get("content-type") ?? "")) throw new Error(`GET ${url} answered ${response.headers.get("content-type")}`);
  return parseExposition(text);
}

function matches(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([name, value]) => labels[name] === value);
}

/** The sum of a counter's or gauge's samples whose labels include `wanted` (0 when there are none). */
export function valueOf(scrape: Scrape, name: string, wanted: Readonly<Record<string, string>> = {}): number {
  const family = scrape.families[name];
  if (!family) return 0;
  return (family.data as PromData[]).filter((sample) => matches(sample.labels, wanted)).reduce((sum, sample) => sum + sample.value, 0);
}

/** The histogram series whose labels include `wanted`. */
export function histogramsOf(scrape: Scrape, name: string, wanted: Readonly<Record<string, string>> = {}): PromHistogramData[] {
  const family = scrape.families[name];
  if (!family) return [];
  return (family.data as PromHistogramData[]).filter((series) => matches(series.labels, wanted));
}

/** The `_count` of the histogram series whose labels include `wanted`, summed. */
export function countOf(scrape: Scrape, name: string, wanted: Readonly<Record<string, string>> = {}): number {
  return histogramsOf(scrape, name, wanted).reduce((sum, series) => sum + series.count, 0);
}
