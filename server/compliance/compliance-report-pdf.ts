import PDFDocument from "pdfkit";
import type {
  ComplianceReport,
  ReportDeploymentHistory,
  ReportFinalMetric,
  ReportMetrics,
  ReportProvenance,
} from "./compliance-report.js";

// The human-readable rendering of a ComplianceReport: pdfkit with its built-in Helvetica and
// Courier (no font files, no network). Same report in, same bytes out: the only date in the file
// is report.generatedAt (pdfkit derives the file id from the document info).

const PAGE_MARGIN = 50;
const FOOTER_SPACE = 30;
const BODY_SIZE = 9;
const TABLE_SIZE = 7.5;
const CELL_PADDING = 3;
const HEADER_FILL = "#e8ecf2";
const RULE_COLOR = "#9aa5b1";
/** Distinct, print-friendly fills for model versions in the traffic chart. */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** Characters the standard fonts' WinAnsi encoding has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/** Text the built-in fonts can show: anything outside WinAnsi becomes "?" (control characters a space). */
export function pdfText(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0x0a) out += "\n";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += " ";
    else if (code <= 0xff || WIN_ANSI_EXTRA.has(char)) out += char;
    else if (char === "→") out += "->";
    else out += "?";
  }
  return out;
}

const shortTime = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/\.\d{3}Z$/, "Z") : "—");
const shortHash = (hash: string | null, length = 16) => (hash ? `${hash.slice(0, length)}…` : "—");
const formatNumber = (value: number | null) => {
  if (value === null) return "—";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e9) ? value.toExponential(4) : String(Number(value.toPrecision(6)));
};
/** An enum value as words: ROLLOUT_PROMOTED → "rollout promoted". */
const words = (value: string) => value.toLowerCase().replace(/_/g, " ");
const json = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));

interface Column {
  header: string;
  /** Share of the text width. */
  weight: number;
  align?: "left" | "right";
}

type Doc = InstanceType<typeof PDFDocument>;

class ReportWriter {
  readonly doc: Doc;

  constructor(private readonly report: ComplianceReport) {
    this.doc = new PDFDocument({
      size: "A4",
      margins: { top: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN, bottom: PAGE_MARGIN + FOOTER_SPACE },
      bufferPages: true,
      compress: true,
      info: {
        Title: `Model compliance report — ${subjectTitle(report)}`,
        Author: "Pedigree",
        Subject: `Digest ${report.digest}`,
        Creator: "Pedigree",
        Producer: "Pedigree (pdfkit)",
        CreationDate: new Date(report.generatedAt),
      },
    });
    this.doc.font("Helvetica").fontSize(BODY_SIZE);
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when less than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string): void {
    this.ensureSpace(80);
    this.doc.moveDown(0.8).font("Helvetica-Bold").fontSize(15).fillColor("#1b2a41").text(pdfText(text), PAGE_MARGIN);
    const y = this.doc.y + 2;
    this.doc
      .moveTo(PAGE_MARGIN, y)
      .lineTo(PAGE_MARGIN + this.width, y)
      .lineWidth(0.8)
      .strokeColor(RULE_COLOR)
      .stroke();
    this.doc.moveDown(0.5).font("Helvetica").fontSize(BODY_SIZE).fillColor("black");
  }

  subheading(text: string): void {
    this.ensureSpace(60);
    this.doc.moveDown(0.6).font("Helvetica-Bold").fontSize(11).fillColor("#1b2a41").text(pdfText(text), PAGE_MARGIN);
    this.doc.moveDown(0.25).font("Helvetica").fontSize(BODY_SIZE).fillColor("black");
  }

  label(text: string): void {
    this.ensureSpace(40);
    this.doc.moveDown(0.35).font("Helvetica-Bold").fontSize(BODY_SIZE).text(pdfText(text), PAGE_MARGIN);
    this.doc.moveDown(0.15).font("Helvetica");
  }

  paragraph(text: string, options: { size?: number; color?: string; monospace?: boolean } = {}): void {
    this.doc
      .font(options.monospace ? "Courier" : "Helvetica")
      .fontSize(options.size ?? BODY_SIZE)
      .fillColor(options.color ?? "black")
      .text(pdfText(text), PAGE_MARGIN, undefined, { width: this.width });
    this.doc.font("Helvetica").fontSize(BODY_SIZE).fillColor("black");
  }

  note(text: string): void {
    this.paragraph(text, { size: 8, color: "#52606d" });
  }

  /** Label/value pairs as a two-column table. */
  facts(rows: Array<[string, string]>): void {
    this.table(
      [
        { header: "", weight: 1 },
        { header: "", weight: 3.2 },
      ],
      rows,
      { header: false },
    );
  }

  /**
   * A table that continues across pages: before a row that would not fit, the page ends and the
   * header row repeats on the next one (pdfkit's table lays out the rows and wraps the cells).
   */
  table(columns: Column[], rows: string[][], options: { header?: boolean; empty?: string } = {}): void {
    const doc = this.doc;
    if (rows.length === 0) {
      this.note(options.empty ?? "None recorded.");
      return;
    }
    const total = columns.reduce((sum, column) => sum + column.weight, 0);
    const widths = columns.map((column) => (this.width * column.weight) / total);
    const withHeader = options.header ?? true;
    const fontOf = (header: boolean) => (header ? "Helvetica-Bold" : "Helvetica");
    const rowHeight = (cells: string[], header: boolean) =>
      Math.max(
        ...cells.map((cell, index) => {
          doc.font(fontOf(header)).fontSize(TABLE_SIZE);
          return doc.heightOfString(cell || " ", { width: widths[index]! - 2 * CELL_PADDING }) + 2 * CELL_PADDING;
        }),
      );
    const cellsOf = (cells: string[], header: boolean) =>
      cells.map((text, index) => ({
        text: text || " ",
        font: { src: fontOf(header), size: TABLE_SIZE },
        align: { x: columns[index]!.align ?? "left", y: "top" as const },
        ...(header ? { backgroundColor: HEADER_FILL, type: "TH" as const } : {}),
      }));
    const headerCells = columns.map((column) => pdfText(column.header));
    const start = () => {
      const table = doc.table({
        position: { x: PAGE_MARGIN, y: doc.y },
        columnStyles: widths.map((width) => ({ width })),
        defaultStyle: { border: 0.5, borderColor: RULE_COLOR, padding: CELL_PADDING },
      });
      if (withHeader) table.row(cellsOf(headerCells, true));
      return table;
    };
    const headerHeight = withHeader ? rowHeight(headerCells, true) : 0;
    const texts = rows.map((row) => row.map((cell) => pdfText(cell)));
    this.ensureSpace(headerHeight + rowHeight(texts[0]!, false) + 4);
    let table = start();
    for (const row of texts) {
      if (doc.y + rowHeight(row, false) > this.bottom) {
        table.end();
        doc.addPage();
        table = start();
      }
      table.row(cellsOf(row, false));
    }
    table.end();
    doc.x = PAGE_MARGIN;
    doc.moveDown(0.4).font("Helvetica").fontSize(BODY_SIZE).fillColor("black");
  }

  /** Page numbers and a footer on every page, once all pages exist. */
  footers(): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index += 1) {
      doc.switchToPage(index);
      // Writing below the bottom margin must not open a page.
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - PAGE_MARGIN - 4;
      doc
        .moveTo(PAGE_MARGIN, y - 6)
        .lineTo(doc.page.width - PAGE_MARGIN, y - 6)
        .lineWidth(0.5)
        .strokeColor(RULE_COLOR)
        .stroke();
      doc
        .font("Helvetica")
        .fontSize(7.5)
        .fillColor("#52606d")
        .text(
          pdfText(`Pedigree model compliance report · ${subjectTitle(this.report)} · digest ${shortHash(this.report.digest)}`),
          PAGE_MARGIN,
          y,
          { width: this.width * 0.78, lineBreak: false },
        )
        .text(`page ${index - range.start + 1} of ${range.count}`, PAGE_MARGIN + this.width * 0.78, y, {
          width: this.width * 0.22,
          align: "right",
          lineBreak: false,
        });
      doc.page.margins.bottom = bottomMargin;
    }
  }
}

function subjectTitle(report: ComplianceReport): string {
  const deployment = report.subject.deployment;
  if (deployment) return `deployment ${deployment.namespace}/${deployment.name} (${deployment.environment})`;
  const version = report.subject.modelVersions[0];
  return version ? `${version.namespace}/${version.label}` : report.target.id;
}

function titlePage(writer: ReportWriter, report: ComplianceReport): void {
  const doc = writer.doc;
  doc.moveDown(6).font("Helvetica-Bold").fontSize(26).fillColor("#1b2a41").text("Model compliance report", PAGE_MARGIN);
  doc
    .moveDown(0.3)
    .font("Helvetica")
    .fontSize(13)
    .fillColor("#334e68")
    .text(pdfText(subjectTitle(report)), PAGE_MARGIN);
  doc.moveDown(2).fontSize(BODY_SIZE).fillColor("black");
  const deployment = report.subject.deployment;
  writer.facts([
    ["Report about", report.target.kind === "DEPLOYMENT" ? "A deployment" : "A model version"],
    ["Model(s)", report.subject.models.map((model) => `${model.namespace}/${model.name}`).join(", ") || "—"],
    ["Model version(s)", report.subject.modelVersions.map((version) => `${version.label} (${version.status})`).join(", ") || "—"],
    [
      "Deployment(s)",
      deployment
        ? `${deployment.namespace}/${deployment.name} (${deployment.environment})`
        : report.deployments.map((history) => `${history.deployment.name} (${history.deployment.environment})`).join(", ") ||
          "None: never deployed",
    ],
    ["Generated at", report.generatedAt],
    ["Report schema version", String(report.schemaVersion)],
    ["Target id", report.target.nodeId],
    ["Digest (sha256)", report.digest],
  ]);
  writer.note(
    `The digest is the ${report.digestMethod}. Recompute it from the JSON form of this report ` +
      "(GraphQL modelComplianceReport or the export download) to show that the JSON was not edited; " +
      'docs/audit.md ("Model compliance report") gives the command.',
  );
  doc.moveDown(1);
  writer.label("Contents");
  for (const [index, title] of SECTION_TITLES.entries()) writer.paragraph(`${index + 1}. ${title}`);
}

const SECTION_TITLES = [
  "Subject: model versions, artifacts, signatures, aliases",
  "Provenance: runs, data, features, code, hyperparameters",
  "Training and validation metrics, feature importance",
  "Approvals",
  "Deployment history and traffic shares",
  "Alerts and monitoring",
  "Audit trail and chain verification",
];

function subjectSection(writer: ReportWriter, report: ComplianceReport): void {
  writer.heading(`1. ${SECTION_TITLES[0]}`);
  for (const model of report.subject.models) {
    writer.label(`Model ${model.namespace}/${model.name}`);
    writer.facts([
      ["Description", model.description ?? "—"],
      ["Registered", shortTime(model.createdAt)],
      ["Aliases now", model.aliases.map((alias) => `${alias.alias} -> v${alias.version ?? "?"}`).join(", ") || "none"],
    ]);
  }
  writer.label("Model versions");
  writer.table(
    [
      { header: "Version", weight: 1.3 },
      { header: "Status", weight: 0.9 },
      { header: "Artifact URI", weight: 2.4 },
      { header: "Artifact SHA-256", weight: 2.6 },
      { header: "Aliases", weight: 0.9 },
      { header: "Registered", weight: 1.3 },
    ],
    report.subject.modelVersions.map((version) => [
      version.label,
      version.statusReason ? `${version.status}: ${version.statusReason}` : version.status,
      version.artifactUri,
      version.artifactSha256,
      version.aliases.join(", ") || "—",
      shortTime(version.createdAt),
    ]),
  );
  for (const version of report.subject.modelVersions) {
    writer.label(`Signature of ${version.label}`);
    writer.paragraph(truncate(json(version.signature), 2_000), { size: 7 });
    writer.label(`Where ${version.label} served`);
    writer.table(
      [
        { header: "Deployment", weight: 2 },
        { header: "Environment", weight: 1.2 },
        { header: "Share", weight: 0.8, align: "right" },
        { header: "From", weight: 1.6 },
        { header: "To", weight: 1.6 },
        { header: "Revisions", weight: 1 },
      ],
      version.servedOn.map((period) => [
        period.deploymentName,
        period.environment,
        `${formatNumber(period.percent)}%`,
        shortTime(period.from),
        period.to ? shortTime(period.to) : "still serving",
        period.revisions.join(", "),
      ]),
      { empty: "Never served traffic." },
    );
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters in the JSON report)` : text;
}

function provenanceSection(writer: ReportWriter, report: ComplianceReport): void {
  writer.heading(`2. ${SECTION_TITLES[1]}`);
  for (const entry of report.provenance) provenanceOf(writer, entry);
}

function provenanceOf(writer: ReportWriter, entry: ReportProvenance): void {
  writer.subheading(`Provenance of ${entry.label}`);
  if (entry.lineageTruncated)
    writer.note("The lineage depth or node limit left upstream nodes out; the JSON lists what was reached.");
  writer.label("Runs upstream (1 = produced the artifact)");
  writer.table(
    [
      { header: "Run", weight: 2.2 },
      { header: "Job", weight: 1.5 },
      { header: "Depth", weight: 0.6, align: "right" },
      { header: "Status", weight: 1 },
      { header: "Started", weight: 1.5 },
      { header: "Ended", weight: 1.5 },
    ],
    entry.runs.map((run) => [
      `${run.id}${run.id === entry.producingRunId ? " (producing)" : ""}`,
      run.jobType ? `${run.job} (${run.jobType})` : run.job,
      String(run.depth),
      run.status,
      shortTime(run.startedAt),
      shortTime(run.endedAt),
    ]),
    { empty: "No run is recorded upstream of this model version." },
  );
  writer.label("Hyperparameters");
  writer.table(
    [
      { header: "Run", weight: 2.2 },
      { header: "Parameter", weight: 1.5 },
      { header: "Value", weight: 3 },
    ],
    entry.runs.flatMap((run) =>
      Object.keys(run.hyperparameters)
        .sort()
        .map((key) => [run.id.slice(0, 8), key, json(run.hyperparameters[key])]),
    ),
    { empty: "No hyperparameters recorded." },
  );
  writer.label("Exact dataset versions");
  writer.table(
    [
      { header: "Dataset", weight: 2 },
      { header: "Ver.", weight: 0.5, align: "right" },
      { header: "Role", weight: 0.9 },
      { header: "Digest", weight: 2.6 },
      { header: "Rows", weight: 0.9, align: "right" },
      { header: "Format / URI", weight: 2.2 },
    ],
    entry.datasetVersions.map((version) => [
      `${version.namespace}/${version.dataset}`,
      String(version.version),
      version.role ?? "(via features)",
      version.digest,
      formatNumber(version.rowCount),
      `${version.format} ${version.uri}${version.snapshotRef ? ` @ ${version.snapshotRef}` : ""}`,
    ]),
    { empty: "No dataset version is recorded upstream." },
  );
  writer.label("Features");
  writer.table(
    [
      { header: "Feature set", weight: 1.5 },
      { header: "Feature", weight: 1.5 },
      { header: "Type", weight: 0.8 },
      { header: "Transformation", weight: 2.5 },
    ],
    entry.features.map((feature) => [feature.featureSet, feature.name, feature.dtype, feature.transformationRef ?? "—"]),
    { empty: "No feature is recorded upstream." },
  );
  writer.label("Code commits");
  writer.table(
    [
      { header: "Repository", weight: 2 },
      { header: "Commit SHA", weight: 2.6 },
      { header: "Branch", weight: 0.8 },
      { header: "Author", weight: 1.3 },
      { header: "Message", weight: 2 },
    ],
    entry.commits.map((commit) => [
      commit.repository,
      commit.sha,
      commit.branch ?? "—",
      commit.author ?? "—",
      commit.message ?? "—",
    ]),
    { empty: "No code commit is recorded upstream." },
  );
}

function metricRows(metrics: readonly ReportFinalMetric[]): string[][] {
  return metrics.map((metric) => [
    metric.key,
    metric.split.toLowerCase(),
    formatNumber(metric.value),
    metric.step === null ? "—" : String(metric.step),
  ]);
}

const METRIC_COLUMNS: Column[] = [
  { header: "Metric", weight: 2 },
  { header: "Split", weight: 1 },
  { header: "Final value", weight: 1.2, align: "right" },
  { header: "Step", weight: 0.7, align: "right" },
];

function metricsSection(writer: ReportWriter, report: ComplianceReport): void {
  writer.heading(`3. ${SECTION_TITLES[2]}`);
  for (const entry of report.metrics) metricsOf(writer, entry);
}

function metricsOf(writer: ReportWriter, entry: ReportMetrics): void {
  writer.subheading(`Metrics of ${entry.label}`);
  writer.label("Recorded on the model version");
  writer.table(METRIC_COLUMNS, metricRows(entry.modelVersion), { empty: "No metrics recorded on the model version." });
  writer.label("Permutation feature importance (computed at training time)");
  const top = entry.featureImportance[0]?.importance ?? 0;
  writer.table(
    [
      { header: "Feature", weight: 2 },
      { header: "Importance", weight: 1, align: "right" },
      { header: "Relative", weight: 2 },
    ],
    entry.featureImportance.map((item) => [
      item.feature,
      formatNumber(item.importance),
      top > 0 && item.importance > 0 ? "#".repeat(Math.max(1, Math.round((item.importance / top) * 30))) : "",
    ]),
    { empty: "No permutation importance recorded." },
  );
  for (const run of entry.runs) {
    writer.label(`Run ${run.runId} (depth ${run.depth}): final values`);
    writer.table(METRIC_COLUMNS, metricRows(run.final));
    if (run.curves.length > 0) {
      writer.label("Per-step curves, summarized");
      writer.table(
        [
          { header: "Metric", weight: 1.6 },
          { header: "Split", weight: 0.9 },
          { header: "Points", weight: 0.7, align: "right" },
          { header: "Steps", weight: 0.9, align: "right" },
          { header: "First", weight: 1, align: "right" },
          { header: "Last", weight: 1, align: "right" },
          { header: "Min (step)", weight: 1.3, align: "right" },
          { header: "Max (step)", weight: 1.3, align: "right" },
        ],
        run.curves.map((curve) => [
          curve.key,
          curve.split.toLowerCase(),
          `${curve.points}${curve.truncated ? "+" : ""}`,
          `${curve.firstStep}–${curve.lastStep}`,
          formatNumber(curve.first),
          formatNumber(curve.last),
          `${formatNumber(curve.min)} (${curve.minStep})`,
          `${formatNumber(curve.max)} (${curve.maxStep})`,
        ]),
      );
    }
  }
}

function approvalsSection(writer: ReportWriter, report: ComplianceReport): void {
  writer.heading(`4. ${SECTION_TITLES[3]}`);
  writer.note(report.approvalsSource);
  writer.doc.moveDown(0.3);
  writer.table(
    [
      { header: "When", weight: 1.4 },
      { header: "Kind", weight: 1.6 },
      { header: "Actor", weight: 1.7 },
      { header: "Role", weight: 0.8 },
      { header: "Seq.", weight: 0.5, align: "right" },
      { header: "What", weight: 3 },
    ],
    report.approvals.map((approval) => [
      shortTime(approval.occurredAt),
      words(approval.kind),
      approval.actor,
      approval.role ?? "—",
      approval.auditSequence === null ? "—" : String(approval.auditSequence),
      approval.detail,
    ]),
    { empty: "No alias, traffic or rollout change of the model version(s) is recorded." },
  );
}

function deploymentsSection(writer: ReportWriter, report: ComplianceReport): void {
  writer.heading(`5. ${SECTION_TITLES[4]}`);
  if (report.deployments.length === 0) writer.note("The model version was never in a deployment's traffic split.");
  for (const history of report.deployments) deploymentHistoryOf(writer, history);
}

function deploymentHistoryOf(writer: ReportWriter, history: ReportDeploymentHistory): void {
  const deployment = history.deployment;
  writer.subheading(`Deployment ${deployment.namespace}/${deployment.name} (${deployment.environment})`);
  writer.label("Traffic share per revision");
  trafficChart(writer, history);
  writer.label("Revisions");
  writer.table(
    [
      { header: "Rev.", weight: 0.5, align: "right" },
      { header: "Kind", weight: 1.6 },
      { header: "Effective from", weight: 1.5 },
      { header: "Until", weight: 1.5 },
      { header: "By", weight: 1.4 },
      { header: "Traffic split", weight: 1.8 },
      { header: "Reason", weight: 2 },
    ],
    history.revisions.map((revision) => [
      String(revision.revision),
      words(revision.kind),
      shortTime(revision.effectiveFrom),
      revision.effectiveUntil ? shortTime(revision.effectiveUntil) : "current",
      revision.actor,
      revision.trafficSplit.map((share) => `${share.label}: ${formatNumber(share.percent)}%`).join("\n"),
      revision.reason ?? "—",
    ]),
    { empty: "No traffic split was ever set." },
  );
  writer.label("Canary rollouts");
  writer.table(
    [
      { header: "Canary", weight: 1.3 },
      { header: "Share", weight: 0.6, align: "right" },
      { header: "Outcome", weight: 1 },
      { header: "Started (by)", weight: 1.8 },
      { header: "Ended (by)", weight: 1.8 },
      { header: "Revisions", weight: 0.8 },
      { header: "Reason", weight: 2 },
    ],
    history.rollouts.map((rollout) => [
      rollout.canaryLabel,
      `${formatNumber(rollout.canaryPercent)}%`,
      rollout.state,
      `${shortTime(rollout.startedAt)}\n(${rollout.startedBy})`,
      rollout.endedAt ? `${shortTime(rollout.endedAt)}\n(${rollout.endedBy ?? "?"})` : "in progress",
      `${rollout.startRevision} -> ${rollout.endRevision ?? "…"}`,
      rollout.reason ?? "—",
    ]),
    { empty: "No canary rollout." },
  );
}

/** Stacked bars, one per revision (equal widths: revisions can be seconds or months apart), and a legend. */
function trafficChart(writer: ReportWriter, history: ReportDeploymentHistory): void {
  const doc = writer.doc;
  const revisions = history.revisions;
  if (revisions.length === 0) {
    writer.note("No traffic split was ever set.");
    return;
  }
  const versions: string[] = [];
  const labels = new Map<string, string>();
  for (const revision of revisions) {
    for (const share of revision.trafficSplit) {
      if (!labels.has(share.modelVersionId)) {
        versions.push(share.modelVersionId);
        labels.set(share.modelVersionId, share.label);
      }
    }
  }
  const colorOf = (modelVersionId: string) => PALETTE[versions.indexOf(modelVersionId) % PALETTE.length]!;
  const legendRows = Math.ceil(versions.length / 3);
  const plotHeight = 120;
  const height = plotHeight + 34 + legendRows * 12;
  writer.ensureSpace(height + 10);
  const axisX = PAGE_MARGIN + 28;
  const top = doc.y + 4;
  const plotWidth = writer.width - 28;
  const baseline = top + plotHeight;
  doc.font("Helvetica").fontSize(6.5).fillColor("#52606d");
  for (const percent of [0, 25, 50, 75, 100]) {
    const y = baseline - (plotHeight * percent) / 100;
    doc
      .moveTo(axisX, y)
      .lineTo(axisX + plotWidth, y)
      .lineWidth(0.3)
      .strokeColor("#d9e2ec")
      .stroke();
    doc.text(`${percent}%`, PAGE_MARGIN, y - 3, { width: 24, align: "right", lineBreak: false });
  }
  const slot = plotWidth / revisions.length;
  const barWidth = Math.min(46, slot * 0.7);
  for (const [index, revision] of revisions.entries()) {
    const x = axisX + index * slot + (slot - barWidth) / 2;
    let y = baseline;
    for (const share of [...revision.trafficSplit].sort(
      (a, b) => versions.indexOf(a.modelVersionId) - versions.indexOf(b.modelVersionId),
    )) {
      const h = (plotHeight * share.percent) / 100;
      if (h <= 0) continue;
      y -= h;
      doc.rect(x, y, barWidth, h).fillColor(colorOf(share.modelVersionId)).fill();
      if (h >= 9 && barWidth >= 18) {
        doc
          .fillColor("white")
          .fontSize(6)
          .text(`${formatNumber(share.percent)}%`, x, y + h / 2 - 2.5, { width: barWidth, align: "center", lineBreak: false });
      }
    }
    doc
      .fillColor("#334e68")
      .fontSize(6.5)
      .text(`r${revision.revision}`, axisX + index * slot, baseline + 3, { width: slot, align: "center", lineBreak: false });
    if (slot >= 40) {
      doc.fontSize(5.5).text(revision.effectiveFrom.slice(0, 10), axisX + index * slot, baseline + 11, {
        width: slot,
        align: "center",
        lineBreak: false,
      });
    }
  }
  doc
    .moveTo(axisX, baseline)
    .lineTo(axisX + plotWidth, baseline)
    .lineWidth(0.6)
    .strokeColor("#52606d")
    .stroke();
  const legendTop = baseline + 22;
  const columnWidth = writer.width / 3;
  for (const [index, modelVersionId] of versions.entries()) {
    const x = PAGE_MARGIN + (index % 3) * columnWidth;
    const y = legendTop + Math.floor(index / 3) * 12;
    doc.rect(x, y, 8, 8).fillColor(colorOf(modelVersionId)).fill();
    doc
      .fillColor("black")
      .fontSize(7)
      .text(pdfText(labels.get(modelVersionId) ?? modelVersionId), x + 12, y + 0.5, {
        width: columnWidth - 14,
        lineBreak: false,
      });
  }
  doc.x = PAGE_MARGIN;
  doc.y = legendTop + legendRows * 12 + 4;
  doc.font("Helvetica").fontSize(BODY_SIZE).fillColor("black");
}

function monitoringSection(writer: ReportWriter, report: ComplianceReport): void {
  const monitoring = report.monitoring;
  writer.heading(`6. ${SECTION_TITLES[5]}`);
  writer.label("Alerts and their resolution");
  writer.table(
    [
      { header: "Raised (by)", weight: 1.6 },
      { header: "Kind / rule", weight: 1.3 },
      { header: "Severity", weight: 0.8 },
      { header: "Message", weight: 2.4 },
      { header: "Acknowledged (by)", weight: 1.6 },
      { header: "Resolved (by)", weight: 1.6 },
    ],
    monitoring.alerts.map((alert) => [
      `${shortTime(alert.raisedAt)}\n(${alert.raisedBy ?? "?"})`,
      `${alert.kind}\n${alert.ruleName}`,
      alert.severity,
      alert.message,
      alert.acknowledgedAt ? `${shortTime(alert.acknowledgedAt)}\n(${alert.acknowledgedBy ?? "?"})` : "—",
      alert.resolvedAt ? `${shortTime(alert.resolvedAt)}\n(${alert.resolvedBy ?? "?"})` : `open (${alert.status})`,
    ]),
    { empty: "No alert was raised." },
  );
  writer.label("Drift reports");
  writer.paragraph(
    `${monitoring.driftReportCount} drift report(s), ${monitoring.driftReportsWithDrift} of those listed with drift.` +
      (monitoring.driftReportsTruncated ? ` The newest ${monitoring.driftReports.length} are listed.` : ""),
  );
  writer.table(
    [
      { header: "Window", weight: 2 },
      { header: "Model version", weight: 1.3 },
      { header: "Samples", weight: 0.7, align: "right" },
      { header: "Drifted features", weight: 1.6 },
      { header: "Prediction drift", weight: 0.8 },
      { header: "Requests / errors / p99", weight: 1.6 },
    ],
    monitoring.driftReports.map((drift) => [
      `${shortTime(drift.windowStart)}\n${shortTime(drift.windowEnd)}`,
      drift.modelVersionId.slice(0, 8),
      String(drift.sampleCount),
      drift.skipped ? `not compared: ${drift.skipped}` : drift.driftedFeatures.join(", ") || "none",
      drift.predictionDrifted ? "yes" : "no",
      drift.serving ? `${drift.serving.requests} / ${drift.serving.errors} / ${formatNumber(drift.serving.p99Ms)} ms` : "—",
    ]),
    { empty: "No drift report." },
  );
}

function auditSection(writer: ReportWriter, report: ComplianceReport): void {
  const audit = report.audit;
  writer.heading(`7. ${SECTION_TITLES[6]}`);
  const verification = audit.chainVerification;
  if (verification) {
    writer.paragraph(
      verification.ok
        ? `Hash chain verified: ${verification.eventsChecked} event(s) from ${shortTime(verification.from)} to ${shortTime(verification.to)} (ids ${verification.firstEventId}–${verification.lastEventId}), every link intact. Head hash ${verification.headHash}.`
        : `HASH CHAIN BROKEN: ${verification.brokenLink?.message ?? "unknown"} (${verification.brokenLink?.problem ?? "?"}, event ${verification.brokenLink?.eventId ?? "?"}).`,
      { color: verification.ok ? "#1e6b3a" : "#b42318" },
    );
  } else {
    writer.note("No audit event names these nodes.");
  }
  writer.paragraph(
    `${audit.events.length} audit event(s) of the ${audit.nodes.length} node(s) in this report, in chain order. ` +
      "Before/after snapshots, token ids and request ids are in the JSON report.",
  );
  writer.table(
    [
      { header: "Seq.", weight: 0.5, align: "right" },
      { header: "Time", weight: 1.4 },
      { header: "Actor (role)", weight: 1.8 },
      { header: "Action", weight: 1.9 },
      { header: "Target", weight: 1.6 },
      { header: "Hash", weight: 1.4 },
    ],
    audit.events.map((event) => [
      event.sequence === null ? "—" : String(event.sequence),
      shortTime(event.occurredAt),
      event.role ? `${event.actor} (${event.role})` : event.actor,
      event.action,
      `${event.targetType} ${event.targetId.slice(0, 8)}`,
      shortHash(event.hash, 12),
    ]),
    { empty: "No audit events." },
  );
}

/** The PDF form of a compliance report. */
export async function renderComplianceReportPdf(report: ComplianceReport): Promise<Buffer> {
  const writer = new ReportWriter(report);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    writer.doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    writer.doc.on("end", () => resolve(Buffer.concat(chunks)));
    writer.doc.on("error", reject);
  });
  titlePage(writer, report);
  writer.doc.addPage();
  subjectSection(writer, report);
  provenanceSection(writer, report);
  metricsSection(writer, report);
  approvalsSection(writer, report);
  deploymentsSection(writer, report);
  monitoringSection(writer, report);
  auditSection(writer, report);
  writer.footers();
  writer.doc.end();
  return done;
}
