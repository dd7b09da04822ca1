import { collectDefaultMetrics, Registry } from "prom-client";

let shared: Registry | undefined;

/**
 * prom-client's default metrics of this process (CPU, resident and heap memory, event-loop lag, GC
 * time, handles, file descriptors, Node version) in one registry per process: they describe the
 * process, which every server built in it shares, and collecting them once more would start another
 * event-loop monitor and GC observer that nothing can stop. Each server's exposition merges it in.
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
    // Every scrape restarts the event-loop statistics; one that comes within the monitor's 10 ms
    // resolution of the previous has no samples, and prom-client then writes NaN ("Nan") for their
    // mean and standard deviation, which dashboards cannot average and strict parsers reject. The
    // percentiles, min and max describe the delay without that gap.
    shared.removeSingleMetric("nodejs_eventloop_lag_mean_seconds");
    shared.removeSingleMetric("nodejs_eventloop_lag_stddev_seconds");
  }
  return shared;
}
