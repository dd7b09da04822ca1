import { useQuery } from "@tanstack/react-query";
import type { NodeHealth, NodeHealthSample } from "../../../shared/admin-api";
import { api } from "../api/console-api";
import { queryKeys } from "../api/query-keys";
import { ErrorMessage } from "../components/error-message";
import { LineChart, type ChartSeries } from "../components/line-chart";
import { PageHeader } from "../components/page-header";
import { RelativeTime } from "../components/relative-time";
import { SelectField } from "../components/select-field";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useSearchParam } from "../hooks/use-search-param";
import { formatMillis, formatNumber, formatRate } from "../lib/metric-format";

/** A chart of the page: its title, how its values are written, and its lines from the samples. */
interface ChartSpec {
  readonly title: string;
  readonly format: (value: number) => string;
  readonly lines: readonly { readonly label: string; readonly tone: ChartSeries["tone"]; readonly value: (sample: NodeHealthSample) => number | null }[];
  /** Why the chart does not apply to this node, if it does not. */
  readonly unavailable?: (health: NodeHealth) => string | undefined;
}

const mebibyte = 1024 * 1024;
const formatMegabytes = (value: number) => `${formatNumber(value)} MB`;
/** The time ranges the page shows, in minutes (the node keeps an hour). */
const ranges = [
  { value: "15", label: "Last 15 minutes" },
  { value: "60", label: "Last hour" },
];

const notOnPostgres = (health: NodeHealth) => (health.node.database === "postgres" ? "PostgreSQL commits each transaction itself; group commit is SQLite's." : undefined);

const charts: readonly ChartSpec[] = [
  {
    title: "Requests per second (all routes)",
    format: formatRate,
    lines: [
      { label: "2xx", tone: "green", value: (s) => s.requestsPerSecond["2xx"] },
      { label: "3xx", tone: "gray", value: (s) => s.requestsPerSecond["3xx"] },
      { label: "4xx", tone: "amber", value: (s) => s.requestsPerSecond["4xx"] },
      { label: "5xx", tone: "red", value: (s) => s.requestsPerSecond["5xx"] },
    ],
  },
  {
    title: "SCIM latency",
    format: formatMillis,
    lines: [
      { label: "p50", tone: "blue", value: (s) => s.scimLatencyMs.p50 },
      { label: "p95", tone: "violet", value: (s) => s.scimLatencyMs.p95 },
      { label: "p99", tone: "red", value: (s) => s.scimLatencyMs.p99 },
    ],
  },
  {
    title: "SCIM errors per second",
    format: formatRate,
    lines: [
      { label: "Client (4xx)", tone: "amber", value: (s) => s.scimErrorsPerSecond.client },
      { label: "Server (5xx)", tone: "red", value: (s) => s.scimErrorsPerSecond.server },
    ],
  },
  {
    title: "Rate-limit rejections per second",
    format: formatRate,
    lines: [{ label: "429", tone: "amber", value: (s) => s.rateLimitRejectionsPerSecond }],
  },
  {
    title: "Writes per commit (group commit)",
    format: formatNumber,
    lines: [{ label: "Mean", tone: "blue", value: (s) => s.commitGroup?.writesPerCommit ?? null }],
    unavailable: notOnPostgres,
  },
  {
    title: "Commit time (fsync)",
    format: formatMillis,
    lines: [{ label: "p95", tone: "violet", value: (s) => s.commitGroup?.commitP95Ms ?? null }],
    unavailable: notOnPostgres,
  },
  {
    title: "Activity entries waiting to be written",
    format: formatNumber,
    lines: [{ label: "Buffered", tone: "blue", value: (s) => s.activityBuffered }],
  },
  {
    title: "Event-loop delay",
    format: formatMillis,
    lines: [
      { label: "p99", tone: "blue", value: (s) => s.eventLoopDelayMs.p99 },
      { label: "Max", tone: "red", value: (s) => s.eventLoopDelayMs.max },
    ],
  },
  {
    title: "Memory",
    format: formatMegabytes,
    lines: [
      { label: "Resident", tone: "blue", value: (s) => s.memory.residentBytes / mebibyte },
      { label: "Heap used", tone: "green", value: (s) => s.memory.heapUsedBytes / mebibyte },
    ],
  },
];

/** This node's health over the last hour, from the samples its server takes of its own metrics. */
export function HealthPage() {
  useDocumentTitle("Health");
  const [range, setRange] = useSearchParam("range");
  const minutes = range === "15" ? 15 : 60;
  const health = useQuery({ queryKey: queryKeys.nodeHealth, queryFn: api.nodeHealth, refetchInterval: 10_000 });
  const data = health.data;
  const end = data?.samples.length ? Date.parse(data.samples.at(-1)!.at) : Date.now();
  const start = end - minutes * 60_000;
  const samples = data?.samples.filter((sample) => Date.parse(sample.at) >= start) ?? [];
  const times = samples.map((sample) => Date.parse(sample.at));

  return (
    <div className="page">
      <PageHeader
        title="Health"
        description="How this server process has been doing, sampled every 10 seconds from its own metrics and kept for an hour. Behind a load balancer each node keeps its own history: this is the node that answered. For alerts and longer history, scrape /metrics with Prometheus."
        actions={<SelectField label="Time range" value={String(minutes)} onChange={(value) => setRange(value === "60" ? "" : value)} options={ranges} />}
      />
      {health.isError && <ErrorMessage error={health.error} onRetry={() => void health.refetch()} />}
      {data && (
        <p className="health-node muted">
          Node <strong>{data.node.hostname}</strong>, process {data.node.pid}, {data.node.database === "sqlite" ? "SQLite" : "PostgreSQL"}
          {data.node.workers > 1 && `, ${data.node.workers} worker processes (the charts sum them; event-loop delay is the slowest worker's)`}, started <RelativeTime iso={data.node.startedAt} />
          {data.samples.length < 2 && ` · collecting: a sample every ${data.intervalSeconds} seconds`}
        </p>
      )}
      <div className="chart-grid" aria-busy={health.isPending}>
        {charts.map((chart) => (
          <LineChart
            key={chart.title}
            title={chart.title}
            times={times}
            start={start}
            end={end}
            format={chart.format}
            series={chart.lines.map((line) => ({ label: line.label, tone: line.tone, values: samples.map(line.value) }))}
            {...(data && chart.unavailable?.(data) ? { unavailable: chart.unavailable(data) } : {})}
          />
        ))}
      </div>
    </div>
  );
}
