import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from "prom-client";
import type { MetricsSource } from "../http/metrics-routes.js";
import type { IpcChannel } from "./ipc-channel.js";

type MetricJson = MetricObjectWithValues<MetricValue<string>>;

/** A worker answers the primary's "metrics" requests from its exposition: every family, or only the named ones. */
export function answerMetricRequests(channel: IpcChannel, registry: Registry): void {
  channel.handle("metrics", async (names: readonly string[] | null): Promise<unknown[]> => {
    if (names === null) return registry.getMetricsAsJSON();
    const families: unknown[] = [];
    // One after the other: some gauges are set when another family is collected (the heap's).
    for (const name of names) {
      const metric = registry.getSingleMetric(name);
      if (metric) families.push(await metric.get());
    }
    return families;
  });
}

/**
 * The metrics of all running workers as one registry (prom-client's AggregatorRegistry.aggregate):
 * counters, histograms and most gauges summed, others as their `aggregator` says (the Node version
 * once, event-loop lag averaged or the worst). A worker that does not answer (starting, crashed) is left out.
 */
export async function clusterRegistry(channels: readonly IpcChannel[], names?: readonly string[]): Promise<Registry> {
  const answers = await Promise.allSettled(channels.map((channel) => channel.request<MetricJson[]>("metrics", names ?? null)));
  return AggregatorRegistry.aggregate(answers.flatMap((answer) => (answer.status === "fulfilled" ? [answer.value] : [])));
}

/** GET /metrics of a server with workers: the sum over all of them, whichever process serves the request. */
export function clusterMetricsSource(channels: () => readonly IpcChannel[]): MetricsSource {
  return {
    contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    exposition: async () => (await clusterRegistry(channels())).metrics(),
  };
}

/** A worker's GET /metrics: it asks the primary, which sums every worker's. */
export function metricsFromPrimary(primary: IpcChannel): MetricsSource {
  return {
    contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    exposition: () => primary.request<string>("metrics-text"),
  };
}
